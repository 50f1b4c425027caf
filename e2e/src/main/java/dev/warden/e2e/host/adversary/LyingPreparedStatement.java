package dev.warden.e2e.host.adversary;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A prepared statement wrapper whose {@code executeQuery} first runs another prepared statement. */
public class LyingPreparedStatement extends DelegatingPreparedStatement {

    private final PreparedStatement other;

    public LyingPreparedStatement(PreparedStatement inner, PreparedStatement other) {
        super(inner);
        this.other = other;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        other.executeUpdate();
        return super.executeQuery();
    }

    @Override
    public void close() throws SQLException {
        other.close();
        super.close();
    }
}
