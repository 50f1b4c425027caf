package dev.warden.e2e.host;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyDual;
import org.postgresql.copy.PGCopyOutputStream;
import org.postgresql.core.BaseStatement;
import org.postgresql.fastpath.FastpathArg;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * An application that uses its drivers' public APIs beside {@code Statement}: pgjdbc's copy, fastpath
 * and {@code executeWithFlags}, and the JDBC connection's {@code setCatalog}/{@code setSchema}. One line
 * per step, as {@link JdbcHost} prints them (whose steps it runs too):
 *
 * <pre>
 *   java DriverApiHost URL USER PASSWORD STEP...
 *   STEP = copy-out:SQL | copy-in:SQL|ROW | copy-dual:SQL | copy-stream:SQL|ROW | fastpath:OID|TEXT-ARGUMENT
 *        | flags:SQL (executeWithFlags(sql, 0)) | prepared-flags:SQL (prepared, executeWithFlags(0))
 *        | catalog:NAME | schema:NAME | any step of JdbcHost
 * </pre>
 */
public final class DriverApiHost {

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            List<String> steps = List.of(args).subList(3, args.length);
            for (int step = 0; step < steps.size(); step++) {
                System.out.println(run(connection, step, steps.get(step)));
            }
        }
        System.out.println("DONE");
    }

    @SuppressWarnings("deprecation") // Fastpath: deprecated, still public
    private static String run(Connection connection, int step, String instruction) {
        int colon = instruction.indexOf(':');
        String kind = instruction.substring(0, colon);
        String[] body = instruction.substring(colon + 1).split("\\|");
        String ok = "OK step=" + step + " ";
        try {
            switch (kind) {
                case "copy-out": {
                    StringWriter out = new StringWriter();
                    long rows = pg(connection).getCopyAPI().copyOut(body[0], out);
                    return ok + "copied=" + rows + " out=" + out.toString().replace('\n', ' ').trim();
                }
                case "copy-in":
                    return ok + "copied=" + pg(connection).getCopyAPI().copyIn(body[0], new StringReader(body[1] + "\n"));
                case "copy-dual": {
                    CopyDual copy = pg(connection).getCopyAPI().copyDual(body[0]);
                    copy.cancelCopy();
                    return ok + "copy-dual started";
                }
                case "copy-stream":
                    try (PGCopyOutputStream stream = new PGCopyOutputStream(pg(connection), body[0])) {
                        stream.write((body[1] + "\n").getBytes(StandardCharsets.UTF_8));
                        return ok + "copied=" + stream.endCopy();
                    }
                case "fastpath": {
                    byte[] result = pg(connection).getFastpathAPI().fastpath(Integer.parseInt(body[0]),
                            body.length > 1 ? new FastpathArg[] {new FastpathArg(body[1])} : new FastpathArg[0]);
                    return ok + "bytes=" + (result == null ? 0 : result.length)
                            + " text=" + (result == null ? "" : new String(result, StandardCharsets.UTF_8).trim());
                }
                case "flags":
                    try (Statement statement = connection.createStatement()) {
                        return ok + "results=" + statement.unwrap(BaseStatement.class).executeWithFlags(body[0], 0);
                    }
                case "prepared-flags":
                    try (PreparedStatement statement = connection.prepareStatement(body[0])) {
                        return ok + "results=" + statement.unwrap(BaseStatement.class).executeWithFlags(0);
                    }
                case "catalog":
                    connection.setCatalog(body[0]);
                    return ok + "catalog=" + body[0];
                case "schema":
                    connection.setSchema(body[0]);
                    return ok + "schema=" + body[0];
                default:
                    return JdbcHost.run(connection, step, instruction);
            }
        } catch (SQLException e) {
            return JdbcHost.failed(step, e);
        } catch (Exception e) {
            return "ERROR step=" + step + " " + e;
        }
    }

    private static PGConnection pg(Connection connection) throws SQLException {
        return connection.unwrap(PGConnection.class);
    }
}
