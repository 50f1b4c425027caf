package dev.warden.e2e.host;

import org.h2.jdbc.JdbcConnection;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * An application whose connection class adds a convenience method of its own that runs whatever SQL
 * it is given. Prints {@code OK updated=N} or {@code DENIED message}.
 */
public final class WrappedConnectionHost {

    /** The application's connection: H2's, plus a method the JDBC API does not have. */
    public static final class ReportingConnection extends JdbcConnection {
        public ReportingConnection(String url) throws SQLException {
            super(url, new Properties(), "sa", "", false);
        }

        public int executeRaw(String sql) throws SQLException {
            try (Statement statement = createStatement()) {
                return statement.executeUpdate(sql);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        try (ReportingConnection connection = new ReportingConnection(args[0])) {
            System.out.println("OK updated=" + connection.executeRaw(args[1]));
        } catch (SQLException e) {
            System.out.println((e.getSQLState().equals("42501") ? "DENIED " : "ERROR ") + e.getMessage());
        }
    }
}
