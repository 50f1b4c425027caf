package dev.warden.e2e.host;

import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * An application that opens connections whose URL or properties make the driver run SQL while
 * connecting (a review's bypasses of Warden's connect check), and ordinary ones. One line per attempt:
 *
 * <pre>
 *   java ConnectSettingsHost H2_URL MARIADB_URL
 *   out:  CONNECTED name rows=R   |   DENIED name state=S message=M   |   ERROR name ...   then DONE
 * </pre>
 * Each attack inserts a row tagged with its name into {@code cx_victim}; the test reads that table.
 */
public final class ConnectSettingsHost {

    /** Opens a connection. */
    private interface Open {
        Connection open() throws Exception;
    }

    public static void main(String[] args) {
        String h2 = args[0];
        String mariaDb = args[1];
        attempt("h2-init", () -> DriverManager.getConnection(h2 + ";INIT=" + insert("h2-init"), "sa", ""));
        attempt("u1-backslash-in-key", () -> DriverManager.getConnection(h2 + ";IN\\IT=" + insert("u1-backslash-in-key"), "sa", ""));
        attempt("u2-lowercase-property", () -> DriverManager.getConnection(h2, h2Properties("init", insert("u2-lowercase-property"))));
        attempt("u3-non-string-property", () -> DriverManager.getConnection(h2,
                h2Properties("INIT", new StringBuilder(insert("u3-non-string-property")))));
        attempt("u4-datasource", () -> dataSource(h2 + ";INIT=" + insert("u4-datasource")).getConnection());
        attempt("u4-datasource-xa", () -> dataSource(h2 + ";INIT=" + insert("u4-datasource-xa")).getXAConnection().getConnection());
        attempt("u4-datasource-pooled", () -> dataSource(h2 + ";INIT=" + insert("u4-datasource-pooled")).getPooledConnection().getConnection());
        attempt("u5-setting-value", () -> DriverManager.getConnection(h2 + ";LOCK_TIMEOUT=1000\\;" + insert("u5-setting-value"), "sa", ""));
        attempt("u6-double-backslash", () -> DriverManager.getConnection(h2 + ";LOCK_TIMEOUT=1000\\\\;INIT=" + insert("u6-double-backslash"), "sa", ""));
        attempt("mariadb-initsql", () -> DriverManager.getConnection(mariaDb + "?initSql=" + insert("mariadb-initsql"), "root", ""));
        attempt("mariadb-initsql-property", () -> {
            Properties properties = new Properties();
            properties.setProperty("user", "root");
            properties.setProperty("INITSQL", insert("mariadb-initsql-property"));
            return DriverManager.getConnection(mariaDb, properties);
        });
        attempt("control-h2", () -> DriverManager.getConnection(h2 + ";MODE=MySQL;LOCK_TIMEOUT=1000;DEFAULT_NULL_ORDERING=HIGH", "sa", ""));
        attempt("control-h2-datasource", () -> dataSource(h2 + ";LOCK_TIMEOUT=1000").getConnection());
        attempt("control-mariadb", () -> DriverManager.getConnection(mariaDb + "?connectTimeout=5000&allowMultiQueries=false", "root", ""));
        System.out.println("DONE");
    }

    private static String insert(String tag) {
        return "INSERT INTO cx_victim VALUES ('" + tag + "')";
    }

    private static Properties h2Properties(Object key, Object value) {
        Properties properties = new Properties();
        properties.setProperty("user", "sa");
        properties.setProperty("password", "");
        properties.put(key, value);
        return properties;
    }

    private static JdbcDataSource dataSource(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        dataSource.setPassword("");
        return dataSource;
    }

    /** Opens, then reads the one table the policy permits. */
    private static void attempt(String name, Open open) {
        try (Connection connection = open.open(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM cx_accounts")) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            System.out.println("CONNECTED " + name + " rows=" + count);
        } catch (SQLException e) {
            System.out.println("DENIED " + name + " state=" + e.getSQLState() + " message=" + e.getMessage().replace('\n', ' '));
        } catch (Exception | LinkageError e) {
            System.out.println("ERROR " + name + " " + String.valueOf(e).replace('\n', ' '));
        }
    }
}
