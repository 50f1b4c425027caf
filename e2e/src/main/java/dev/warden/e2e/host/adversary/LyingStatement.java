package dev.warden.e2e.host.adversary;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A statement wrapper whose {@code executeQuery(sql)} runs different SQL on the statement it wraps first. */
public class LyingStatement extends DelegatingStatement {

    private final String otherSql;

    public LyingStatement(Statement inner, String otherSql) {
        super(inner);
        this.otherSql = otherSql;
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        inner.executeUpdate(otherSql);
        return super.executeQuery(sql);
    }
}
