package dev.warden.e2e.host;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.warden.e2e.host.adversary.UnreadableConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordinary JDBC application that knows nothing of Warden. It runs the steps it is given and
 * prints one line per step, which the end-to-end tests read:
 *
 * <pre>
 *   java JdbcHost [--pool] URL USER PASSWORD STEP...
 *   STEP = query:SQL | update:SQL | execute:SQL | prepared:SQL|p1|p2 | batch:SQL1;;SQL2 | large:CHARS
 *        | prepared-batch:SQL|p1|p2   one prepared statement, its one parameter bound to p1 then p2 (each added to the
 *                                     batch), then executeBatch
 *        | escaped:SQL   a query on a statement with JDBC escape processing switched on
 *        | call:SQL|p1|p2   prepareCall, then executeQuery (a stored procedure's rows)
 *        | repeat:SQL-with-one-int-parameter (until killed)
 *        | hold:-   prints "OK step=N holding" and waits, idle, until its standard input closes
 *        | await-line:-   prints "OK step=N waiting" and waits, idle, for one line on its standard input (the test
 *                     acts between two steps, as an approver would)
 *        | await-thread:NAME   waits until no thread of that name runs: "joined NAME" if one ran, else "none NAME"
 *        | unreadable-wrapper:SQL   the query prepared through a wrapper of the connection whose getMetaData throws
 *        | reread:SQL1|SQL2   execute(SQL1), then execute(SQL2) on the same statement (its failure ignored), then the
 *                           rows of getResultSet()
 *        | forged:SQL   execute(SQL), then Warden's public JdbcActions.executed(statement, "execute", a permit of the
 *                     host's own making with no obligations, null), then the rows of getResultSet()
 *        | keys:SQL|*   executeUpdate(SQL, RETURN_GENERATED_KEYS), then the rows of getGeneratedKeys()
 *        | keys:SQL|c1,c2   executeUpdate(SQL, new String[] {c1, c2}), then the rows of getGeneratedKeys()
 *        | out:SQL|p1   prepareCall(SQL), p1 bound, parameter 1 registered as OUT, execute(), then getString(1)
 *        | updatable:update|delete|insert:SQL   the first row of SQL on an updatable result set: its second column
 *                           set to 999 and updateRow(), or deleteRow(), or an insert row of id 9999 and insertRow()
 *   out:  OK step=N rows=R first=col=value,col=value   |   DENIED step=N state=S message=M   |   ERROR step=N ...
 * </pre>
 */
public final class JdbcHost {

    /** Standard input, read a line at a time by {@code await-line} steps. */
    private static final java.io.BufferedReader INPUT = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
            java.nio.charset.StandardCharsets.UTF_8));

    public static void main(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean pooled = arguments.remove("--pool");
        String url = arguments.remove(0);
        String user = arguments.remove(0);
        String password = arguments.remove(0);
        try (AutoCloseable source = pooled ? pool(url, user, password) : null;
             Connection connection = pooled ? ((HikariDataSource) source).getConnection()
                     : DriverManager.getConnection(url, user, password)) {
            for (int step = 0; step < arguments.size(); step++) {
                System.out.println(run(connection, step, arguments.get(step)));
            }
        }
        System.out.println("DONE");
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    static String run(Connection connection, int step, String instruction) {
        int colon = instruction.indexOf(':');
        String kind = instruction.substring(0, colon);
        String body = instruction.substring(colon + 1);
        try {
            switch (kind) {
                case "query":
                    try (Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(body)) {
                        return "OK step=" + step + " " + describe(results);
                    }
                case "escaped":
                    try (Statement statement = connection.createStatement()) {
                        statement.setEscapeProcessing(true);
                        try (ResultSet results = statement.executeQuery(body)) {
                            return "OK step=" + step + " " + describe(results);
                        }
                    }
                case "call":
                    return "OK step=" + step + " " + called(connection, body.split("\\|"));
                case "update":
                    try (Statement statement = connection.createStatement()) {
                        return "OK step=" + step + " updated=" + statement.executeUpdate(body);
                    }
                case "execute":
                    try (Statement statement = connection.createStatement()) {
                        if (statement.execute(body)) {
                            try (ResultSet results = statement.getResultSet()) {
                                return "OK step=" + step + " " + describe(results);
                            }
                        }
                        return "OK step=" + step + " updated=" + statement.getUpdateCount();
                    }
                case "prepared":
                    return "OK step=" + step + " " + prepared(connection, body.split("\\|"));
                case "prepared-batch":
                    return "OK step=" + step + " " + preparedBatch(connection, body.split("\\|"));
                case "batch":
                    try (Statement statement = connection.createStatement()) {
                        for (String sql : body.split(";;")) {
                            statement.addBatch(sql);
                        }
                        return "OK step=" + step + " batch=" + statement.executeBatch().length;
                    }
                case "repeat":
                    // Runs until the process is killed: load for crash tests.
                    try (PreparedStatement statement = connection.prepareStatement(body)) {
                        for (long count = 1; ; count++) {
                            statement.setInt(1, (int) (count % 10) + 1);
                            try (ResultSet results = statement.executeQuery()) {
                                results.next();
                            }
                            System.out.println("OK repeat=" + count);
                        }
                    }
                case "hold":
                    // Keeps the process (and its receipt log) open without writing: for tests of what
                    // another process sees meanwhile.
                    System.out.println("OK step=" + step + " holding");
                    try {
                        System.in.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (java.io.IOException closed) {
                        // released all the same
                    }
                    return "OK step=" + step + " released";
                case "await-line":
                    return awaitLine(step);
                case "await-thread":
                    return awaitThread(step, body);
                case "unreadable-wrapper":
                    // Not closed: closing the wrapper would close the connection the next steps use.
                    Connection wrapper = new UnreadableConnection(connection, UnreadableConnection.Part.META_DATA, false);
                    try (PreparedStatement statement = wrapper.prepareStatement(body); ResultSet results = statement.executeQuery()) {
                        return "OK step=" + step + " " + describe(results);
                    }
                case "reread":
                    return "OK step=" + step + " " + reread(connection, body.split("\\|"));
                case "forged":
                    return "OK step=" + step + " " + forged(connection, body);
                case "keys":
                    return "OK step=" + step + " " + keys(connection, body.split("\\|"));
                case "out":
                    return "OK step=" + step + " " + out(connection, body.split("\\|"));
                case "updatable":
                    return "OK step=" + step + " " + updatable(connection, body.substring(0, body.indexOf(':')),
                            body.substring(body.indexOf(':') + 1));
                case "large":
                    try (Statement statement = connection.createStatement();
                         ResultSet results = statement.executeQuery(largeQuery(Integer.parseInt(body)))) {
                        return "OK step=" + step + " " + describe(results);
                    }
                default:
                    return "ERROR step=" + step + " unknown step kind " + kind;
            }
        } catch (SQLException e) {
            return failed(step, e);
        } catch (RuntimeException e) {
            return "ERROR step=" + step + " " + e;
        }
    }

    private static String awaitThread(int step, String name) {
        try {
            boolean joined = false;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals(name)) {
                    thread.join();
                    joined = true;
                }
            }
            return "OK step=" + step + (joined ? " joined " : " none ") + name;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "ERROR step=" + step + " interrupted";
        }
    }

    private static String awaitLine(int step) {
        System.out.println("OK step=" + step + " waiting");
        try {
            return "OK step=" + step + (INPUT.readLine() == null ? " input closed" : " went on");
        } catch (java.io.IOException e) {
            return "ERROR step=" + step + " " + e;
        }
    }

    /** The line of a step that threw: DENIED for Warden's refusal, else ERROR. */
    static String failed(int step, SQLException e) {
        if ("42501".equals(e.getSQLState()) && e.getMessage().startsWith("warden:")) {
            return "DENIED step=" + step + " state=" + e.getSQLState() + " cause="
                    + (e.getCause() == null ? "none" : e.getCause().getClass().getSimpleName()) + " message=" + e.getMessage();
        }
        return "ERROR step=" + step + " state=" + e.getSQLState() + " message=" + e.getMessage();
    }

    /** A statement of about {@code size} characters: too long for a command line, so built here. */
    private static String largeQuery(int size) {
        StringBuilder sql = new StringBuilder("SELECT * FROM orders WHERE id IN (0");
        for (int id = 1; sql.length() < size; id++) {
            sql.append(',').append(id);
        }
        return sql.append(')').toString();
    }

    private static String prepared(Connection connection, String[] sqlAndParameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sqlAndParameters[0])) {
            for (int i = 1; i < sqlAndParameters.length; i++) {
                String parameter = sqlAndParameters[i];
                if (parameter.matches("-?\\d{1,9}")) {
                    statement.setInt(i, Integer.parseInt(parameter));
                } else {
                    statement.setString(i, parameter);
                }
            }
            if (statement.execute()) {
                try (ResultSet results = statement.getResultSet()) {
                    return describe(results);
                }
            }
            return "updated=" + statement.getUpdateCount();
        }
    }

    private static String preparedBatch(Connection connection, String[] sqlAndValues) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sqlAndValues[0])) {
            for (int i = 1; i < sqlAndValues.length; i++) {
                if (sqlAndValues[i].matches("-?\\d{1,9}")) {
                    statement.setInt(1, Integer.parseInt(sqlAndValues[i]));
                } else {
                    statement.setString(1, sqlAndValues[i]);
                }
                statement.addBatch();
            }
            return "batch=" + statement.executeBatch().length;
        }
    }

    private static String reread(Connection connection, String[] sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql[0]);
            String second;
            try {
                statement.execute(sql[1]);
                second = "ran";
            } catch (SQLException refused) {
                second = "failed";
            }
            try (ResultSet results = statement.getResultSet()) {
                return "second=" + second + " " + (results == null ? "no results" : describe(results));
            }
        }
    }

    /**
     * What host code compiled against Warden's public classes (on the boot class path) can call: it tells Warden the
     * statement ran again under a permit with no obligations, then reads the results the statement holds.
     */
    private static String forged(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            try {
                callExecuted(statement);
            } catch (ReflectiveOperationException unavailable) {
                return "no such API: " + unavailable;
            }
            try (ResultSet results = statement.getResultSet()) {
                return describe(results);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void callExecuted(Statement statement) throws ReflectiveOperationException {
        Class<?> outcome = Class.forName("dev.warden.bootstrap.Outcome");
        Class<?> obligations = Class.forName("dev.warden.bootstrap.Obligations");
        Class<?> decision = Class.forName("dev.warden.bootstrap.Decision");
        Object permit = decision.getConstructor(outcome, boolean.class, List.class, String.class, String.class, obligations)
                .newInstance(Enum.valueOf((Class) outcome, "PERMIT"), true, List.of("the host's"), "the host's own", null,
                        obligations.getField("NONE").get(null));
        Class.forName("dev.warden.bootstrap.jdbc.JdbcActions")
                .getMethod("executed", Object.class, String.class, decision, Throwable.class)
                .invoke(null, statement, "execute", permit, null);
    }

    private static String keys(Connection connection, String[] sqlAndColumns) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int updated = sqlAndColumns[1].equals("*")
                    ? statement.executeUpdate(sqlAndColumns[0], Statement.RETURN_GENERATED_KEYS)
                    : statement.executeUpdate(sqlAndColumns[0], sqlAndColumns[1].split(","));
            try (ResultSet keys = statement.getGeneratedKeys()) {
                return "updated=" + updated + " keys " + (keys == null ? "none" : describe(keys));
            }
        }
    }

    private static String out(Connection connection, String[] sqlAndParameter) throws SQLException {
        try (java.sql.CallableStatement statement = connection.prepareCall(sqlAndParameter[0])) {
            statement.setInt(1, Integer.parseInt(sqlAndParameter[1]));
            statement.registerOutParameter(1, java.sql.Types.VARCHAR);
            statement.execute();
            return "out=" + statement.getString(1);
        }
    }

    private static String updatable(Connection connection, String change, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
             ResultSet results = statement.executeQuery(sql)) {
            if (!results.next()) {
                return "no row";
            }
            switch (change) {
                case "update" -> {
                    results.updateInt(2, 999);
                    results.updateRow();
                }
                case "delete" -> results.deleteRow();
                case "insert" -> {
                    results.moveToInsertRow();
                    results.updateInt(1, 9999);
                    results.updateString(2, "Mallory");
                    results.insertRow();
                }
                default -> throw new IllegalArgumentException(change);
            }
            return change + "d";
        }
    }

    private static String called(Connection connection, String[] sqlAndParameters) throws SQLException {
        try (java.sql.CallableStatement statement = connection.prepareCall(sqlAndParameters[0])) {
            for (int i = 1; i < sqlAndParameters.length; i++) {
                statement.setInt(i, Integer.parseInt(sqlAndParameters[i]));
            }
            try (ResultSet results = statement.executeQuery()) {
                return describe(results);
            }
        }
    }

    /** Row count, then the first row read through every common getter style (by index and by label). */
    private static String describe(ResultSet results) throws SQLException {
        ResultSetMetaData meta = results.getMetaData();
        StringBuilder first = new StringBuilder();
        int rows = 0;
        while (results.next()) {
            if (rows == 0) {
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    String label = meta.getColumnLabel(column).toLowerCase(java.util.Locale.ROOT);
                    Object byLabel = results.getObject(meta.getColumnLabel(column));
                    first.append(column > 1 ? "," : "").append(label).append('=').append(results.getString(column));
                    if (!String.valueOf(byLabel).equals(String.valueOf(results.getString(column)))) {
                        first.append("(byLabel=").append(byLabel).append(')');
                    }
                }
            }
            rows++;
        }
        return "rows=" + rows + " first=" + first;
    }
}
