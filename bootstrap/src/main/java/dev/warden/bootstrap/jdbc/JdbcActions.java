package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Attachment;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What JDBC advice remembers between calls: the SQL a statement was prepared with and the
 * connection it came from, and the obligations of its last permitted execution. SQL is captured at
 * {@code prepare*} time because a prepared statement's execute methods take no SQL.
 * <p>
 * Host code can call these methods too, so none of them takes a fact on trust: a statement's SQL is
 * captured once, by the advice on the method that created it, before the host held the statement,
 * and never replaced; a connection is described from its own metadata, read here. A connection whose
 * metadata cannot be read (it, or what it returns, throws) cannot be described: every statement it
 * hands out, its own or its driver's, is refused at execution, with a receipt.
 */
public final class JdbcActions {

    public static final String SURFACE = "jdbc";

    private static final Attachment<Map<String, Object>> CONNECTIONS = new Attachment<>();
    private static final Attachment<StatementOrigin> STATEMENTS = new Attachment<>();
    private static final StackWalker CALLERS = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Set once a statement without a record lost an execution's obligations: such statements' results are refused. */
    private static volatile boolean recordLostWithoutOrigin;
    /** The statements a connect's request was made for (keyed by the request, by identity). */
    private static final Attachment<List<String>> CONNECT_SQL = new Attachment<>();
    /** How pgjdbc's {@code setSchema} carries out a switch, up to the schema. */
    private static final String SWITCH_SQL = "SET SESSION search_path TO ";
    /** A connection whose metadata is being read (compared by identity). */
    private static final Map<String, Object> BEING_DESCRIBED = new HashMap<>(0);
    /** The key under which a connection's description records why its metadata could not be read. */
    private static final String UNREADABLE = "warden.jdbc.unreadable";
    /**
     * Marks an execution that was given no SQL ({@code execute(null)}, or a statement prepared with null): the enricher
     * names that cause, not an unknown statement's.
     */
    public static final String NULL_SQL = "warden.jdbc.nullSql";

    private static final class StatementOrigin {
        final String sql;
        /** It was prepared with null SQL (not created without any). */
        final boolean nullSql;
        final Object connection;
        final BoundParameters parameters = new BoundParameters();
        /**
         * The obligations of the results the statement holds: those of the last permitted execution that returned.
         * A decision alone changes nothing: a refused execution never ran, and {@code addBatch} runs nothing, so the
         * results of the execution before either are still there, under that execution's obligations.
         */
        volatile Obligations resultObligations = Obligations.NONE;
        /**
         * The obligations of the rows {@code getGeneratedKeys()} returns: the last execution's, and every statement's of
         * a batch added since (a driver returns the keys of the whole batch).
         */
        volatile Obligations keyObligations = Obligations.NONE;
        /**
         * An execution's obligations could not be recorded (only an out-of-memory error gets there): what the statement
         * holds is refused until a permitted execution that returned replaces it, never read under older obligations.
         */
        volatile boolean unrecorded;
        /** Why a connection that handed this statement out could not be described, or null. */
        volatile String unreadable;
        /** The facts of its last execution: a prepared statement's are the same at every execution. */
        volatile Facts lastFacts;

        StatementOrigin(String sql, boolean nullSql, Object connection) {
            this.sql = sql;
            this.nullSql = nullSql;
            this.connection = connection;
        }

        /** Why this statement cannot be described: a connection it came through could not be, or null. */
        String unreadable(Map<String, Object> described) {
            if (unreadable != null) {
                return unreadable;
            }
            return described == null ? null : (String) described.get(UNREADABLE);
        }
    }

    /** The facts of a prepared statement's execution by {@code method}, through a connection described as {@code connection}. */
    private record Facts(Map<String, Object> connection, String method, ActionRequest request) {
    }

    private JdbcActions() {
    }

    /**
     * A connection created {@code statement} from {@code arguments} (the SQL first, for a prepared or
     * callable statement). Called by the advice on every statement-creating method when it returns.
     */
    public static void statementCreated(Object statement, Object[] arguments, Object connection) {
        if (statement == null) {
            return;
        }
        try {
            describeOnce(connection);
            String sql = arguments != null && arguments.length > 0 && arguments[0] instanceof String ? (String) arguments[0] : null;
            boolean nullSql = arguments != null && arguments.length > 0 && arguments[0] == null;
            StatementOrigin origin = STATEMENTS.setIfAbsent(statement, new StatementOrigin(sql, nullSql, connection));
            // A wrapper that hands out its driver's statement: the statement's origin is the driver's
            // connection (captured first, inside), but it came through the wrapper too.
            Map<String, Object> described = CONNECTIONS.get(connection);
            Object unreadable = described == null ? null : described.get(UNREADABLE);
            if (unreadable != null && origin != null && origin.unreadable == null) {
                origin.unreadable = (String) unreadable;
            }
        } catch (Throwable uncaptured) {
            // Nothing is refused at creation: a statement whose SQL was not captured is decided at
            // execution as unknown SQL, which no rule that reads the SQL permits.
        }
    }

    /**
     * Decides one execution in its scope.
     *
     * @param arguments the execute method's arguments: SQL first for a plain statement, none for a prepared one
     * @param method    the JDBC method, e.g. {@code executeQuery}
     */
    public static Decision decideExecution(ActionScope scope, Object statement, Object[] arguments, String method) {
        Decision partOfSwitch = asPartOfSwitch(scope, statement, arguments);
        if (partOfSwitch != null) {
            return partOfSwitch;
        }
        return decide(scope, statement, method, (origin, connection) -> request(origin, connection, arguments, method), null);
    }

    /**
     * The statement a driver executes to carry out a {@code setSchema} this thread is inside, and that was permitted:
     * that switch's own part, without a decision of its own (pgjdbc's {@code setSchema} sends
     * {@code SET SESSION search_path TO '<schema>'} through a statement, which as SQL alone is a {@code SET}). Only
     * exactly that text for exactly the permitted name inherits; any other statement is decided as always.
     */
    private static Decision asPartOfSwitch(ActionScope scope, Object statement, Object[] arguments) {
        // Every execution passes here: only the switch's own text looks any further.
        if (arguments.length == 0 || !(arguments[0] instanceof String) || !((String) arguments[0]).startsWith(SWITCH_SQL)) {
            return null;
        }
        ActionScope outer = ActionScope.innermostDecided(SURFACE);
        ActionRequest switching = outer == null ? null : outer.request();
        if (switching == null || outer.decision().blocks() || !"setSchema".equals(switching.attribute("jdbc.method"))) {
            return null;
        }
        Object name = switching.attribute("jdbc.use");
        String expected = name instanceof String ? SWITCH_SQL + "'" + ((String) name).replace("'", "''") + "'"
                : name == null ? SWITCH_SQL + "DEFAULT" : null;
        // The statement carries it: the driver's own inner half on the same statement (pgjdbc's executeWithFlags of
        // its CachedQuery) continues it, as inside any execution.
        return arguments[0].equals(expected) ? scope.decideAsPartOfEnclosing(switching, statement) : null;
    }

    /**
     * Decides a driver's own public entry point below the JDBC methods, which those methods call too
     * (pgjdbc's {@code executeWithFlags}: {@code execute}, {@code executeQuery} and {@code executeUpdate}
     * run through it). Given SQL or only flags, it is decided like {@code execute(sql)} or
     * {@code execute()}; inside a decided execution of the same SQL through the same connection it is
     * that execution's inner half, without a second receipt. Given the driver's own query object
     * (pgjdbc's {@code CachedQuery}, whose SQL Warden does not read), it is the inner half of the
     * entry point enclosing it on the same statement, or else a statement of unknown SQL.
     */
    public static Decision decideDriverExecution(ActionScope scope, Object statement, Object[] arguments, String method) {
        Decision partOfSwitch = asPartOfSwitch(scope, statement, arguments);
        if (partOfSwitch != null) {
            return partOfSwitch; // the executeUpdate it runs under inherited the switch: so does this, its inner half
        }
        Object first = arguments.length > 0 ? arguments[0] : null;
        if (first != null && !(first instanceof String) && !(first instanceof Number)) {
            return decide(scope, statement, method, (origin, connection) -> unknownSql(connection, method), statement);
        }
        Object[] sql = first instanceof String ? arguments : new Object[0];
        return decide(scope, statement, method, (origin, connection) -> {
            ActionScope outer = ActionScope.innermostDecided(SURFACE);
            Object outerMethod = outer == null || outer.request() == null ? null : outer.request().attribute("jdbc.method");
            if (outerMethod instanceof String && !outerMethod.equals(method)) {
                ActionRequest asOuter = request(origin, connection, sql, (String) outerMethod);
                if (asOuter.sameAction(outer.request())) {
                    return asOuter;
                }
            }
            return request(origin, connection, sql, method);
        }, statement);
    }

    /**
     * Decides the SQL a driver's API object runs for the host outside any statement (pgjdbc's
     * {@code CopyManager.copyIn/copyOut/copyDual}): the SQL as it is, whatever it is. Such a call
     * streams rows past any result set, so a permit whose obligations restrict results is refused.
     *
     * @param api an object {@link #driverApiCreated} registered
     */
    public static Decision decideDriverSql(ActionScope scope, Object api, String sql, String method) {
        return unrestricted(decideExecution(scope, api, new Object[] {sql}, method));
    }

    /**
     * Decides a call of H2's {@code DatabaseMeta}, which answers {@code DatabaseMetaData} from the database's schema
     * without SQL, as the query of {@code INFORMATION_SCHEMA} that reads the same facts ({@link H2MetadataReads}),
     * {@code jdbc.method} the metadata method. Its rows reach the host through no result set Warden restricts, so a
     * permit whose obligations restrict results is refused. A method that answers only H2's constants is not decided
     * (null); one this version of Warden does not know is refused.
     *
     * @param metadata the {@code DatabaseMeta}, registered by {@link #driverApiCreated} with its connection
     */
    public static Decision decideH2MetadataRead(ActionScope scope, Object metadata, String method) {
        String sql = H2MetadataReads.sqlOf(method);
        if (sql == null) {
            return null;
        }
        if (sql.equals(H2MetadataReads.UNKNOWN)) {
            return scope.refused(Decision.failClosed("an H2 metadata call Warden does not know: " + method, null));
        }
        return decideDriverSql(scope, metadata, sql, method);
    }

    /**
     * Decides a call of a server function by its object id (pgjdbc's {@code Fastpath}): operation
     * {@code CALL}, the OID as its target ({@code jdbc.function}). A name the host gave is not a
     * fact: {@code Fastpath.addFunction} lets it name any OID.
     */
    public static Decision decideFunctionCall(ActionScope scope, Object api, int oid, String method) {
        return unrestricted(decide(scope, api, method, (origin, connection) -> {
            Map<String, Object> attributes = new HashMap<>(connection == null ? Map.of() : connection);
            attributes.put("jdbc.method", method);
            attributes.put("jdbc.function", (long) oid);
            return new ActionRequest(SURFACE, null, null, attributes);
        }, null));
    }

    /**
     * Decides a switch of what later SQL on {@code connection} touches ({@code Connection.setCatalog},
     * {@code setSchema}): operation {@code USE}, the catalog or schema as its target
     * ({@code jdbc.use}).
     */
    public static Decision decideSwitch(ActionScope scope, Object connection, String method, String name) {
        Map<String, Object> described;
        try {
            describeOnce(connection);
            described = CONNECTIONS.get(connection);
        } catch (Throwable failure) {
            return scope.refused(Decision.unreadable("could not read the connection", failure));
        }
        Object unreadable = described == null ? null : described.get(UNREADABLE);
        if (unreadable != null) {
            return scope.refused(Decision.failClosed((String) unreadable, null));
        }
        Map<String, Object> attributes = new HashMap<>(described == null ? Map.of() : described);
        attributes.put("jdbc.method", method);
        if (name != null) {
            attributes.put("jdbc.use", name);
        }
        return scope.decide(new ActionRequest(SURFACE, null, null, attributes));
    }

    /**
     * A switch decided in {@code scope} returned: later statements of {@code connection} are described
     * with the catalog ({@code jdbc.catalog}) or schema ({@code jdbc.schema}) it switched to, and no
     * longer with the URL, whose database or schema the connection may no longer use. Only a switch
     * this scope permitted, for this name and method, is recorded.
     */
    public static void switched(ActionScope scope, Object connection, String method, String name) {
        try {
            Decision decision = scope.decision();
            ActionRequest request = scope.request();
            Map<String, Object> described = CONNECTIONS.get(connection);
            if (decision == null || decision.blocks() || request == null || described == null
                    || described == BEING_DESCRIBED || described.containsKey(UNREADABLE)
                    || !method.equals(request.attribute("jdbc.method")) || !java.util.Objects.equals(name, request.attribute("jdbc.use"))) {
                return;
            }
            Map<String, Object> now = new HashMap<>(described);
            now.remove("db.url");
            String key = method.equals("setCatalog") ? "jdbc.catalog" : "jdbc.schema";
            if (name == null) {
                now.remove(key);
            } else {
                now.put(key, name);
            }
            CONNECTIONS.set(connection, Map.copyOf(now));
        } catch (Throwable unrecorded) {
            // Nothing recorded: later statements keep the description they had.
        }
    }

    /** A driver's API object that runs SQL or calls functions for {@code connection} (pgjdbc's {@code CopyManager}, {@code Fastpath}) was created. */
    public static void driverApiCreated(Object api, Object connection) {
        statementCreated(api, null, connection);
    }

    /** How an action is asked for, once its origin and its connection's description are known. */
    private interface RequestMaker {
        ActionRequest make(StatementOrigin origin, Map<String, Object> connection);
    }

    private static Decision decide(ActionScope scope, Object statement, String method, RequestMaker maker, Object carrier) {
        ActionRequest request;
        StatementOrigin origin;
        try {
            origin = STATEMENTS.get(statement);
            Map<String, Object> connection = origin == null ? null : CONNECTIONS.get(origin.connection);
            String unreadable = origin == null ? null : origin.unreadable(connection);
            if (unreadable != null) {
                return scope.refused(Decision.failClosed(unreadable, null));
            }
            request = maker.make(origin, connection);
        } catch (Throwable failure) {
            return scope.refused(Decision.unreadable("could not read the statement", failure));
        }
        return scope.decide(request, carrier);
    }

    /** A permit whose obligations restrict results cannot be honoured by a call that returns no result set: refused. */
    private static Decision unrestricted(Decision decision) {
        if (decision.blocks() || !decision.enforcedObligations().restrictsResults()) {
            return decision;
        }
        return Decision.failClosed("the permit's obligations restrict results, which this call cannot honour: it streams "
                + "its data past any result set (receipt " + decision.receiptId() + ")", decision.receiptId());
    }

    private static ActionRequest unknownSql(Map<String, Object> connection, String method) {
        return new ActionRequest(SURFACE, null, null, facts(connection, null, method, false, false));
    }

    /** @param connection the description of the connection {@code origin} came through (null: none) */
    private static ActionRequest request(StatementOrigin origin, Map<String, Object> connection, Object[] arguments,
                                         String method) {
        if (arguments.length > 0 && arguments[0] == null) {
            // execute(null), addBatch(null): no SQL to run, whatever the statement was prepared with.
            return new ActionRequest(SURFACE, null, null, facts(connection, null, method, false, true));
        }
        String sqlArgument = arguments.length > 0 && arguments[0] instanceof String ? (String) arguments[0] : null;
        if (sqlArgument != null || origin == null) {
            return new ActionRequest(SURFACE, null, null, facts(connection, sqlArgument != null ? sqlArgument
                    : origin != null ? origin.sql : null, method, sqlArgument == null, false));
        }
        Facts kept = origin.lastFacts;
        if (kept == null || kept.connection() != connection || !kept.method().equals(method)) {
            // The connection's description is set once, so the same map means the same facts.
            kept = new Facts(connection, method, new ActionRequest(SURFACE, null, null, facts(connection, origin.sql, method, true, origin.nullSql)));
            origin.lastFacts = kept;
        }
        // The values bound are part of the action's digest, not of the facts rules see (nor of what
        // the engine caches by): a statement executed with other values is described and ruled once.
        return kept.request().withBinding(origin.parameters.digest());
    }

    private static Map<String, Object> facts(Map<String, Object> connection, String sql, String method, boolean prepared,
                                             boolean nullSql) {
        Map<String, Object> attributes = new HashMap<>(8);
        if (connection != null) {
            attributes.putAll(connection);
        }
        if (sql != null) {
            attributes.put("sql", sql);
        } else if (nullSql) {
            attributes.put(NULL_SQL, true);
        }
        attributes.put("jdbc.method", method);
        attributes.put("jdbc.prepared", prepared);
        return Map.copyOf(attributes);
    }

    /**
     * A parameter setter of a prepared or callable statement is called: {@code arguments} are its
     * arguments, the parameter's index or name first. Called by the advice on every setter.
     *
     * @return the arguments the setter must run with: Warden's own copies of mutable values
     */
    public static Object[] parameterSet(Object statement, String setter, Object[] arguments) {
        try {
            if (arguments == null || arguments.length < 2) {
                return arguments;
            }
            return parametersOf(statement).set(setter, arguments);
        } catch (Throwable uncaptured) {
            failed(statement, arguments == null || arguments.length == 0 ? null : arguments[0]);
            return arguments;
        }
    }

    /** A setter threw: what the statement binds for {@code key} is unknown until it is set again. */
    public static void parameterFailed(Object statement, Object key) {
        failed(statement, key);
    }

    /** {@code clearParameters()} returned. */
    public static void parametersCleared(Object statement) {
        try {
            parametersOf(statement).clear();
        } catch (Throwable ignored) {
            // Nothing cleared: the digest then still binds the earlier values, a different action.
        }
    }

    private static void failed(Object statement, Object key) {
        try {
            parametersOf(statement).failed(key);
        } catch (Throwable ignored) {
            // Only an out-of-memory gets here; the execution then cannot be described either.
        }
    }

    /**
     * A statement created where no advice saw it (by a driver's own constructor) still has its values
     * captured: its SQL is unknown, but an approval of one execution must not unlock another.
     */
    private static BoundParameters parametersOf(Object statement) {
        StatementOrigin origin = STATEMENTS.get(statement);
        if (origin == null) {
            origin = STATEMENTS.setIfAbsent(statement, new StatementOrigin(null, false, null));
        }
        return origin.parameters;
    }

    /**
     * The properties a connect goes on with, and its refusal: null when the driver may connect.
     *
     * @param properties Warden's copy of the host's, which the driver must be given instead (what was decided
     *                   is what the driver reads), or the host's own when they could not be read (then refused)
     */
    public record ConnectDecision(Properties properties, Throwable refusal) {
    }

    /**
     * Decides the SQL a driver will run while connecting to {@code url} with {@code properties} (H2's
     * {@code INIT} and settings, MariaDB's {@code initSql}, see {@link ConnectSql}), as the statements it
     * is, before anything connects. Nothing to decide, nothing recorded.
     */
    public static ConnectDecision decideConnect(ActionScope scope, String url, Properties properties) {
        return decideConnect(scope, url, properties, ConnectSql::of);
    }

    /** How a driver's entry point reads the statements a connect runs from its URL and Warden's copy of its properties. */
    private interface ConnectReader {
        List<String> read(String url, Properties properties);
    }

    private static ConnectDecision decideConnect(ActionScope scope, String url, Properties properties, ConnectReader reader) {
        Properties copy;
        List<String> sql;
        try {
            copy = ConnectProperties.copyOf(properties);
            sql = reader.read(url, copy);
        } catch (Throwable unreadable) { // a Properties subclass that throws: refused, never connected undecided
            return new ConnectDecision(properties, refusal(scope.refused(unreadableConnect(unreadable))));
        }
        return new ConnectDecision(copy, decideConnectSql(scope, url, sql));
    }

    /**
     * Decides what MariaDB Connector/J will run for the {@code Configuration} handed to its static
     * {@code Driver.connect(Configuration)}, which its {@code Driver.connect(String, Properties)}, its
     * data sources and its pool all call: the configuration's {@code initSql}, {@code sessionVariables}
     * and {@code createDatabaseIfNotExist} (the database it would create, or null), read by the advice. Inside the driver's own decided
     * {@code Driver.connect(String, Properties)} it is that connect's inner half, one receipt.
     *
     * @param url the configuration's {@code initialUrl()}, the connect's {@code db.url}
     * @return the refusal to throw instead of connecting, or null
     */
    public static Throwable decideConfiguredConnect(ActionScope scope, String url, String initSql, String sessionVariables,
                                                    String createDatabase) {
        List<String> sql;
        try {
            sql = ConnectSql.mariaDbConfigured(initSql, sessionVariables, createDatabase);
        } catch (Throwable unreadable) {
            return refusal(scope.refused(unreadableConnect(unreadable)));
        }
        return decideConnectSql(scope, url, sql);
    }

    /**
     * Decides what pgjdbc's {@code PgConnection(HostSpec[], Properties, String url)} constructor, which
     * {@code Driver.connect} and every pgjdbc data source call and which is public, will set for the
     * session from its properties ({@code options}, see {@link ServerUrlOptions}), whatever the URL it
     * was given says. Inside pgjdbc's own decided {@code Driver.connect} it is that connect's inner half.
     */
    public static ConnectDecision decidePgConnection(ActionScope scope, String url, Properties properties) {
        return decideConnect(scope, url, properties, ConnectSql::postgreSqlConnection);
    }

    /**
     * Decides the statements a connect runs, as one {@code connect} action. A driver's own entry point
     * below {@code Driver.connect} (a constructor, a static connect) is the inner half of the connect
     * enclosing it when that connect was decided for every statement this one runs: it inherits that
     * decision, with the enclosing request, so the connect has one receipt. Anything else is decided
     * on its own.
     */
    private static Throwable decideConnectSql(ActionScope scope, String url, List<String> sql) {
        if (sql.isEmpty()) {
            return null;
        }
        ActionRequest request;
        try {
            ActionScope outer = ActionScope.innermostDecided(SURFACE);
            ActionRequest enclosing = outer == null || outer == scope ? null : outer.request();
            List<String> decided = enclosing == null ? null : CONNECT_SQL.get(enclosing);
            if (decided != null && decided.containsAll(sql)) {
                request = enclosing; // inherited below when it encloses this call directly, else decided again
            } else {
                Map<String, Object> attributes = new HashMap<>(4);
                attributes.put("sql", String.join(";\n", sql));
                attributes.put("db.url", url == null ? "" : url);
                attributes.put("jdbc.method", "connect");
                attributes.put("jdbc.prepared", false);
                request = ActionRequest.of(SURFACE, attributes);
                CONNECT_SQL.set(request, List.copyOf(sql));
            }
        } catch (Throwable unreadable) {
            return refusal(scope.refused(unreadableConnect(unreadable)));
        }
        return refusal(scope.decide(request));
    }

    /** The refusal of a connect whose arguments could not be read. */
    public static Decision unreadableConnect(Throwable failure) {
        return Decision.unreadable("could not read the connect's properties", failure);
    }

    /**
     * Describes a connection from its metadata the first time one of its statements is created.
     * Whatever SQL a driver runs to answer is an action of its own, decided like any other.
     */
    private static void describeOnce(Object connection) {
        if (connection == null || CONNECTIONS.get(connection) != null) {
            return;
        }
        // Claimed first, so a driver that creates statements while answering does not recurse here.
        if (CONNECTIONS.setIfAbsent(connection, BEING_DESCRIBED) != BEING_DESCRIBED) {
            return;
        }
        Map<String, Object> attributes = new HashMap<>(4);
        try {
            Object metaData = JavaSql.GET_META_DATA.invoke(connection);
            putIfPresent(attributes, "db.url", JavaSql.GET_URL.invoke(metaData));
            putIfPresent(attributes, "db.user", JavaSql.GET_USER_NAME.invoke(metaData));
            putIfPresent(attributes, "db.product", JavaSql.GET_PRODUCT_NAME.invoke(metaData));
        } catch (Throwable unknown) {
            // Its statements are refused: a description without the URL or the product would let
            // them pass rules that refuse by database, and read their SQL as no database reads it.
            attributes.clear();
            attributes.put(UNREADABLE, Decision.unreadable("could not read the connection's metadata", unknown).reason());
        }
        CONNECTIONS.set(connection, Map.copyOf(attributes));
    }

    /**
     * The exception a refused execution throws instead of running: a {@code java.sql.SQLException}
     * with SQLState 42501 (insufficient privilege), the decision's message, and an
     * {@link ActionDeniedException} as its cause; null when the decision lets the statement run.
     */
    public static Throwable refusal(Decision decision) {
        if (decision == null || !decision.blocks()) {
            return null;
        }
        ActionDeniedException cause = new ActionDeniedException(decision);
        try {
            return (Throwable) JavaSql.SQL_EXCEPTION.newInstance(decision.denialMessage(), "42501", cause);
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
        Obligations obligations = decision == null ? Obligations.NONE : decision.enforcedObligations();
        if (!obligations.limitsRows()) {
            return -1;
        }
        try {
            int own = (Integer) JavaSql.GET_MAX_ROWS.invoke(statement);
            int limit = (int) Math.min(obligations.maxRows(), Integer.MAX_VALUE);
            if (own != 0 && own <= limit) {
                return -1;
            }
            JavaSql.SET_MAX_ROWS.invoke(statement, Math.max(limit, 1));
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
            JavaSql.SET_MAX_ROWS.invoke(statement, own);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError ignored) {
            // Restoring is a courtesy to later executions; each is decided and limited anew.
        }
    }

    /**
     * An execution decided as {@code decision} ({@code execute*}, {@code addBatch}, a driver's entry point below them)
     * returned, or threw {@code thrown}: the obligations of the results and keys it leaves are recorded. Only a permitted
     * execution that returned replaces those of the execution before it (a driver closes earlier results as it runs);
     * one that threw may have failed before or after it did, so both hold; a statement added to a batch adds its
     * obligations to the batch's keys and leaves the results alone. A refused execution changes nothing: the driver
     * never ran, and what the statement held is held under the obligations it was permitted with.
     * <p>
     * Only the statement's own code (the advice, inlined into the driver's method) replaces what the statement holds:
     * this class is public, on the boot class path, and a {@link Decision} is a record anyone can make, so host code
     * that called this with a permit of its own making lifted a redaction from the results the statement held (an
     * eleventh review, 2026-12-07). The caller is looked up only when the obligations would change.
     */
    public static void executed(Object statement, String method, Decision decision, Throwable thrown) {
        record(statement, method, decision, thrown, true);
    }

    /** {@link #executed}, told whether to check that the statement's own code is the caller (tests run it as that code). */
    static void record(Object statement, String method, Decision decision, Throwable thrown, boolean checkCaller) {
        if (decision == null || decision.blocks()) {
            return;
        }
        try {
            StatementOrigin origin = STATEMENTS.get(statement);
            if (origin == null) {
                origin = STATEMENTS.setIfAbsent(statement, new StatementOrigin(null, false, null));
            }
            Obligations obligations = decision.enforcedObligations();
            if ("addBatch".equals(method)) {
                origin.keyObligations = origin.keyObligations.and(obligations);
            } else if (thrown == null) {
                boolean replaces = origin.unrecorded || !obligations.equals(origin.resultObligations)
                        || !obligations.equals(origin.keyObligations);
                if (replaces && checkCaller && !executedBy(statement)) {
                    return; // not the statement's own execution: nothing it holds changes
                }
                origin.resultObligations = obligations;
                origin.keyObligations = obligations;
                origin.unrecorded = false;
            } else {
                origin.resultObligations = origin.resultObligations.and(obligations);
                origin.keyObligations = origin.keyObligations.and(obligations);
            }
        } catch (Throwable unrecorded) {
            lost(statement);
        }
    }

    /**
     * An execution's obligations were not recorded (an out-of-memory error while recording them): what the statement
     * holds is refused rather than read under the obligations of an earlier execution. Marking allocates nothing; when
     * even the statement's record cannot be found, every statement Warden holds no record of is refused from then on.
     */
    private static void lost(Object statement) {
        try {
            StatementOrigin origin = STATEMENTS.get(statement);
            if (origin != null) {
                origin.unrecorded = true;
                return;
            }
        } catch (Throwable unfound) {
            // fall through: refuse every statement without a record
        }
        recordLostWithoutOrigin = true;
    }

    /**
     * The refusal of the results a statement holds ({@code getResultSet()}, {@code getGeneratedKeys()}, an OUT
     * parameter) when the obligations of the execution that made them were not recorded, or null.
     */
    public static Throwable unrecordedResultsRefusal(Object statement) {
        StatementOrigin origin = STATEMENTS.get(statement);
        if (origin != null ? !origin.unrecorded : !recordLostWithoutOrigin) {
            return null;
        }
        return sqlRefusal("warden: the obligations of this statement's last execution could not be recorded, so what it"
                + " holds is refused: execute it again");
    }

    /**
     * The obligations of what {@code method} fetches from the statement after an execution: the keys' for
     * {@code getGeneratedKeys()}, else the results'.
     */
    public static Obligations heldObligationsOf(Object statement, String method) {
        return "getGeneratedKeys".equals(method) ? keyObligationsOf(statement) : obligationsOf(statement);
    }

    /** Whether the code that called {@link #executed} is the statement's own (a method of its class or a superclass). */
    private static boolean executedBy(Object statement) {
        // Frames: this method, record, executed, then its caller.
        return CALLERS.walk(frames -> frames.skip(3).findFirst()).map(frame -> frame.getDeclaringClass().isInstance(statement))
                .orElse(false);
    }

    /** The obligations of the results the statement holds, for result sets fetched later ({@code getResultSet()}). */
    public static Obligations obligationsOf(Object statement) {
        StatementOrigin origin = STATEMENTS.get(statement);
        return origin != null ? origin.resultObligations : Obligations.NONE;
    }

    /** The obligations of the generated keys the statement returns ({@code getGeneratedKeys()}). */
    public static Obligations keyObligationsOf(Object statement) {
        StatementOrigin origin = STATEMENTS.get(statement);
        return origin != null ? origin.keyObligations : Obligations.NONE;
    }

    /**
     * The refusal of a read of a {@code CallableStatement}'s OUT parameter when the results the statement holds are
     * restricted, or null. An OUT parameter is no result set, so neither a redaction nor a row limit reaches it: H2's
     * getters read the current row of the query's own result set, under its name, past the restricted view the host
     * was given. What the statement returned stays readable through its result set.
     */
    public static Throwable outParameterRefusal(Object statement) {
        Throwable unrecorded = unrecordedResultsRefusal(statement);
        if (unrecorded != null) {
            return unrecorded;
        }
        Obligations obligations = obligationsOf(statement);
        if (!obligations.restrictsResults()) {
            return null;
        }
        return sqlRefusal("warden: the permit's obligations restrict results (" + describe(obligations)
                + "), which a CallableStatement's OUT parameter cannot honour: read its result set");
    }

    private static Throwable sqlRefusal(String message) {
        try {
            return (Throwable) JavaSql.SQL_EXCEPTION.newInstance(message, "42501", null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new SecurityException(message); // still refused, whatever type carries it
        }
    }

    private static String describe(Obligations obligations) {
        StringBuilder what = new StringBuilder();
        if (obligations.limitsRows()) {
            what.append("maxRows=").append(obligations.maxRows());
        }
        if (!obligations.redact().isEmpty()) {
            what.append(what.length() > 0 ? ", " : "").append("redact=")
                    .append(String.join(",", new java.util.TreeSet<>(obligations.redact())));
        }
        if (obligations.maskPii()) {
            what.append(what.length() > 0 ? ", " : "").append("maskPii");
        }
        return what.toString();
    }

    private static void putIfPresent(Map<String, Object> attributes, String name, Object value) {
        if (value != null) {
            attributes.put(name, value.toString());
        }
    }

    /** Bootstrap classes cannot link against java.sql, which the platform loader defines. */
    private static final class JavaSql {
        static final Method GET_MAX_ROWS = method("java.sql.Statement", "getMaxRows");
        static final Method SET_MAX_ROWS = method("java.sql.Statement", "setMaxRows", int.class);
        static final Method GET_META_DATA = method("java.sql.Connection", "getMetaData");
        static final Method GET_URL = method("java.sql.DatabaseMetaData", "getURL");
        static final Method GET_USER_NAME = method("java.sql.DatabaseMetaData", "getUserName");
        static final Method GET_PRODUCT_NAME = method("java.sql.DatabaseMetaData", "getDatabaseProductName");
        static final Constructor<?> SQL_EXCEPTION = sqlException();

        private static Method method(String type, String name, Class<?>... parameters) {
            try {
                return Class.forName(type, false, ClassLoader.getPlatformClassLoader()).getMethod(name, parameters);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("java.sql is not available", e);
            }
        }

        private static Constructor<?> sqlException() {
            try {
                return Class.forName("java.sql.SQLException", false, ClassLoader.getPlatformClassLoader())
                        .getConstructor(String.class, String.class, Throwable.class);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("java.sql is not available", e);
            }
        }
    }
}
