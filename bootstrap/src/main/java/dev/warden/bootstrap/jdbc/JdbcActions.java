package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Attachment;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.Obligations;

import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.Map;

/**
 * What JDBC advice remembers between calls: the SQL a statement was prepared with and the
 * connection it came from, and the obligations of its last permitted execution. SQL is captured at
 * {@code prepare*} time because a prepared statement's execute methods take no SQL.
 */
public final class JdbcActions {

    public static final String SURFACE = "jdbc";

    private static final Attachment<Map<String, Object>> CONNECTIONS = new Attachment<>();
    private static final Attachment<StatementOrigin> STATEMENTS = new Attachment<>();

    private static final class StatementOrigin {
        final String sql;
        final Map<String, Object> connection;
        volatile Obligations lastObligations = Obligations.NONE;

        StatementOrigin(String sql, Map<String, Object> connection) {
            this.sql = sql;
            this.connection = connection;
        }
    }

    private JdbcActions() {
    }

    public static boolean knowsConnection(Object connection) {
        return CONNECTIONS.get(connection) != null;
    }

    /** Records what the connection's metadata says: url (raw; the agent strips credentials), user, product. */
    public static void connectionDescribed(Object connection, String url, String user, String product) {
        Map<String, Object> attributes = new HashMap<>(4);
        putIfPresent(attributes, "db.url", url);
        putIfPresent(attributes, "db.user", user);
        putIfPresent(attributes, "db.product", product);
        CONNECTIONS.set(connection, Map.copyOf(attributes));
    }

    public static void statementCreated(Object statement, String sql, Object connection) {
        Map<String, Object> described = CONNECTIONS.get(connection);
        STATEMENTS.set(statement, new StatementOrigin(sql, described != null ? described : Map.of()));
    }

    /**
     * Decides one execution.
     *
     * @param arguments the execute method's arguments: SQL first for a plain statement, none for a prepared one
     * @param method    the JDBC method, e.g. {@code executeQuery}
     */
    public static Decision decideExecution(Object statement, Object[] arguments, String method) {
        String sqlArgument = arguments.length > 0 && arguments[0] instanceof String ? (String) arguments[0] : null;
        StatementOrigin origin = STATEMENTS.get(statement);
        Map<String, Object> attributes = new HashMap<>(8);
        if (origin != null) {
            attributes.putAll(origin.connection);
        }
        String sql = sqlArgument != null ? sqlArgument : origin != null ? origin.sql : null;
        putIfPresent(attributes, "sql", sql);
        attributes.put("jdbc.method", method);
        attributes.put("jdbc.prepared", sqlArgument == null);
        Decision decision = Gate.decide(ActionRequest.of(SURFACE, attributes));
        if (origin != null) {
            origin.lastObligations = decision.enforcedObligations();
        }
        return decision;
    }

    /**
     * The exception a refused execution throws instead of running: a {@code java.sql.SQLException}
     * with SQLState 42501 (insufficient privilege), the decision's message, and an
     * {@link ActionDeniedException} as its cause; null when the decision lets the statement run.
     */
    public static Throwable refusal(Decision decision) {
        if (!decision.blocks()) {
            return null;
        }
        ActionDeniedException cause = new ActionDeniedException(decision);
        try {
            return (Throwable) SqlExceptionConstructor.INSTANCE.newInstance(decision.denialMessage(), "42501", cause);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return cause; // still a refusal: the statement must not run whatever type carries it
        }
    }

    /**
     * Applies a permit's row limit to the statement itself, so the database stops early (the
     * result set view enforces it regardless).
     *
     * @return the host's own limit, to restore with {@link #restoreRowLimit} once the execution
     *         returned, or -1 when nothing was changed
     */
    public static int applyRowLimit(Object statement, Decision decision) {
        Obligations obligations = decision.enforcedObligations();
        if (!obligations.limitsRows()) {
            return -1;
        }
        try {
            int own = (Integer) StatementMethods.GET_MAX_ROWS.invoke(statement);
            int limit = (int) Math.min(obligations.maxRows(), Integer.MAX_VALUE);
            if (own != 0 && own <= limit) {
                return -1;
            }
            StatementMethods.SET_MAX_ROWS.invoke(statement, Math.max(limit, 1));
            return own;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1; // the result set view still enforces the limit
        }
    }

    public static void restoreRowLimit(Object statement, int own) {
        if (own < 0) {
            return;
        }
        try {
            StatementMethods.SET_MAX_ROWS.invoke(statement, own);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError ignored) {
            // Restoring is a courtesy to later executions; each is decided and limited anew.
        }
    }

    private static final class StatementMethods {
        static final java.lang.reflect.Method GET_MAX_ROWS = method("getMaxRows");
        static final java.lang.reflect.Method SET_MAX_ROWS = method("setMaxRows", int.class);

        private static java.lang.reflect.Method method(String name, Class<?>... parameters) {
            try {
                return Class.forName("java.sql.Statement", false, ClassLoader.getPlatformClassLoader())
                        .getMethod(name, parameters);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("java.sql is not available", e);
            }
        }
    }

    /** Bootstrap classes cannot link against java.sql, which the platform loader defines. */
    private static final class SqlExceptionConstructor {
        static final Constructor<?> INSTANCE = find();

        private static Constructor<?> find() {
            try {
                return Class.forName("java.sql.SQLException", false, ClassLoader.getPlatformClassLoader())
                        .getConstructor(String.class, String.class, Throwable.class);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("java.sql is not available", e);
            }
        }
    }

    /** The obligations of the statement's last permitted execution, for result sets fetched later. */
    public static Obligations obligationsOf(Object statement) {
        StatementOrigin origin = STATEMENTS.get(statement);
        return origin != null ? origin.lastObligations : Obligations.NONE;
    }

    private static void putIfPresent(Map<String, Object> attributes, String name, String value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }
}
