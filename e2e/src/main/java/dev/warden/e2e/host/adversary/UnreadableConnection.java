package dev.warden.e2e.host.adversary;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An application's connection wrapper that cannot say what it is connected to: its
 * {@code getMetaData()}, or one method of the metadata it returns, throws. The application itself
 * never asks; Warden does, to describe the connection. Statements are the driver's, handed through,
 * or (with {@code ownStatements}) the wrapper's own, around the driver's.
 */
public class UnreadableConnection extends DelegatingConnection {

    /** What throws: {@code getMetaData} itself, or a method of the metadata it returns. */
    public enum Part { META_DATA, URL, PRODUCT_NAME }

    private final Part part;
    private final boolean ownStatements;

    public UnreadableConnection(Connection inner, Part part, boolean ownStatements) {
        super(inner);
        this.part = part;
        this.ownStatements = ownStatements;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        if (part == Part.META_DATA) {
            throw new UnprintableFailure();
        }
        DatabaseMetaData real = inner.getMetaData();
        String unreadable = part == Part.URL ? "getURL" : "getDatabaseProductName";
        return (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals(unreadable)) {
                        throw new SQLException("the connection is being re-established");
                    }
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Statement createStatement() throws SQLException {
        Statement driver = super.createStatement();
        return ownStatements ? new DelegatingStatement(driver) : driver;
    }
}
