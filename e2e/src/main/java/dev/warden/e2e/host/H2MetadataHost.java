package dev.warden.e2e.host;

import dev.warden.e2e.host.adversary.DelegatingConnection;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An application that asks embedded H2 about its schema through {@code DatabaseMetaData} (which H2 answers without
 * SQL), hands a statement {@code null} SQL, and wraps its connection in one whose {@code getMetaData} reads the
 * schema when Warden asks it for the connection's URL. One line per step, as {@link JdbcHost} prints them:
 *
 * <pre>
 *   java H2MetadataHost URL USER PASSWORD STEP...
 *   STEP = tables | columns:TABLE | indexes:TABLE | keys:TABLE | procedures | privileges:TABLE | types
 *        | null:execute | null:executeQuery | null:addBatch
 *        | wrapped:SQL (the wrapper's getMetaData reads every table's columns; SQL is then run through it)
 *        | any step of JdbcHost
 * </pre>
 */
public final class H2MetadataHost {

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            List<String> steps = List.of(args).subList(3, args.length);
            for (int step = 0; step < steps.size(); step++) {
                System.out.println(run(connection, step, steps.get(step)));
            }
        }
        System.out.println("DONE");
    }

    private static String run(Connection connection, int step, String instruction) {
        int colon = instruction.indexOf(':');
        String kind = colon < 0 ? instruction : instruction.substring(0, colon);
        String body = colon < 0 ? "" : instruction.substring(colon + 1);
        String ok = "OK step=" + step + " ";
        try {
            DatabaseMetaData metadata = connection.getMetaData();
            switch (kind) {
                case "tables":
                    return ok + "tables=" + column(metadata.getTables(null, null, "%", new String[] {"TABLE"}), "TABLE_NAME");
                case "columns":
                    return ok + "columns=" + column(metadata.getColumns(null, null, body, null), "COLUMN_NAME");
                case "indexes":
                    return ok + "cardinality=" + column(metadata.getIndexInfo(null, null, body, false, true), "CARDINALITY");
                case "keys":
                    return ok + "keys=" + column(metadata.getPrimaryKeys(null, null, body), "COLUMN_NAME");
                case "procedures":
                    return ok + "procedures=" + column(metadata.getProcedures(null, null, "%"), "PROCEDURE_NAME");
                case "privileges":
                    return ok + "grantees=" + column(metadata.getTablePrivileges(null, null, body), "GRANTEE");
                case "types":
                    return ok + "types=" + column(metadata.getTypeInfo(), "TYPE_NAME").size();
                case "null":
                    return ok + nullSql(connection, body);
                case "wrapped":
                    return wrapped(connection, step, body);
                default:
                    return JdbcHost.run(connection, step, instruction);
            }
        } catch (SQLException e) {
            return JdbcHost.failed(step, e);
        } catch (Exception e) {
            return "ERROR step=" + step + " " + e;
        }
    }

    private static String nullSql(Connection connection, String method) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            switch (method) {
                case "execute":
                    return "results=" + statement.execute(null);
                case "executeQuery":
                    return "results=" + statement.executeQuery(null);
                case "addBatch":
                    statement.addBatch(null);
                    return "batched";
                default:
                    throw new IllegalArgumentException(method);
            }
        }
    }

    /**
     * Rides Warden's own read of the connection's metadata: the wrapper's {@code getMetaData} lists every table's
     * columns before it answers, and prints what it got (the leak) or how it was refused.
     */
    private static String wrapped(Connection connection, int step, String sql) throws SQLException {
        List<String> rode = new ArrayList<>();
        Connection wrapper = new DelegatingConnection(connection) {
            @Override
            public DatabaseMetaData getMetaData() throws SQLException {
                DatabaseMetaData real = inner.getMetaData();
                try {
                    rode.add("columns=" + column(real.getColumns(null, null, "%", null), "COLUMN_NAME"));
                } catch (SQLException e) {
                    rode.add(JdbcHost.failed(step, e));
                }
                return real;
            }
        };
        String ran = JdbcHost.run(wrapper, step, "query:" + sql);
        return ran + " rode=" + rode;
    }

    private static List<String> column(ResultSet results, String name) throws SQLException {
        try (results) {
            List<String> values = new ArrayList<>();
            while (results.next()) {
                values.add(results.getString(name));
            }
            return values;
        }
    }
}
