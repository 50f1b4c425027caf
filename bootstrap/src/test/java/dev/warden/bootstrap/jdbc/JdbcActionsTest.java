package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a connection URL tells the driver to run while connecting is read the way H2 reads it; a
 * connection whose metadata cannot be read hands out only statements that are refused.
 */
class JdbcActionsTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void aConnectIsDecidedOnTheSqlItRunsAndTheDriverGetsTheCopyThatWasDecided() {
        gateAnswering(Outcome.DENY);
        Properties properties = new Properties();
        properties.setProperty("user", "sa");
        properties.put("init", new StringBuilder("INSERT INTO victim VALUES ('x')"));

        JdbcActions.ConnectDecision connect = JdbcActions.decideConnect(scope(), "jdbc:h2:mem:x;MODE=MySQL", properties);

        assertThat(connect.refusal()).isInstanceOf(SQLException.class);
        assertThat(((SQLException) connect.refusal()).getSQLState()).isEqualTo("42501");
        assertThat(decided).singleElement().satisfies(request -> assertThat(request.attributes())
                .containsEntry("sql", "INSERT INTO victim VALUES ('x')").containsEntry("jdbc.method", "connect"));
        assertThat(connect.properties()).isNotSameAs(properties)
                .containsEntry("user", "sa").containsEntry("init", "INSERT INTO victim VALUES ('x')");
    }

    @Test
    void aConnectThatRunsNothingIsNotDecidedButStillGoesOnWithTheCopy() {
        gateAnswering(Outcome.DENY);
        Properties defaults = new Properties();
        defaults.setProperty("password", "secret");
        Properties properties = new Properties(defaults);
        properties.setProperty("user", "sa");

        JdbcActions.ConnectDecision connect = JdbcActions.decideConnect(scope(), "jdbc:h2:mem:x;MODE=MySQL;DB_CLOSE_DELAY=-1", properties);

        assertThat(connect.refusal()).isNull();
        assertThat(decided).isEmpty();
        assertThat(connect.properties().getProperty("user")).isEqualTo("sa");
        assertThat(connect.properties().getProperty("password")).isEqualTo("secret");
    }

    @Test
    void propertiesThatThrowRefuseTheConnect() {
        gateAnswering(Outcome.PERMIT);
        Properties hostile = new Properties() {
            @Override
            public java.util.Set<Object> keySet() {
                throw new IllegalStateException("no");
            }
        };

        JdbcActions.ConnectDecision connect = JdbcActions.decideConnect(scope(), "jdbc:h2:mem:x", hostile);

        assertThat(connect.refusal()).isNotNull();
        assertThat(decided).singleElement().satisfies(request -> assertThat(request.attributes())
                .containsKey(Decision.UNREADABLE_ATTRIBUTE));
    }

    @Test
    void aStatementIsDecidedWithItsConnectionsDescription() {
        gateAnswering(Outcome.PERMIT);
        Connection connection = connection(metaData("jdbc:h2:mem:notes", "H2", null));
        Statement statement = statement();

        JdbcActions.statementCreated(statement, new Object[] {"SELECT 1"}, connection);
        Decision decision = JdbcActions.decideExecution(scope(), statement, new Object[0], "executeQuery");

        assertThat(decision.blocks()).isFalse();
        assertThat(decided).singleElement().satisfies(request -> assertThat(request.attributes())
                .containsEntry("db.url", "jdbc:h2:mem:notes").containsEntry("db.product", "H2").containsEntry("sql", "SELECT 1"));
    }

    @Test
    void aPermittedSwitchIsWhatLaterStatementsRecordInsteadOfTheUrl() {
        Connection connection = connection(metaData("jdbc:mariadb://db/wr", "MariaDB", null));
        Statement statement = statement();
        JdbcActions.statementCreated(statement, new Object[] {"SELECT name FROM accounts"}, connection);

        gateAnswering(Outcome.DENY);
        ActionScope refused = scope();
        assertThat(JdbcActions.decideSwitch(refused, connection, "setCatalog", "wr_private").blocks()).isTrue();
        JdbcActions.switched(refused, connection, "setCatalog", "wr_private");
        gateAnswering(Outcome.PERMIT);
        ActionScope permitted = scope();
        JdbcActions.decideSwitch(permitted, connection, "setCatalog", "wr_open");
        JdbcActions.switched(permitted, connection, "setCatalog", "wr_private"); // not what was decided: ignored
        JdbcActions.switched(permitted, connection, "setCatalog", "wr_open");
        JdbcActions.decideExecution(scope(), statement, new Object[0], "executeQuery");

        assertThat(decided).hasSize(3);
        assertThat(decided.get(0).attributes()).containsEntry("jdbc.method", "setCatalog").containsEntry("jdbc.use", "wr_private")
                .containsEntry("db.url", "jdbc:mariadb://db/wr");
        assertThat(decided.get(2).attributes()).containsEntry("jdbc.catalog", "wr_open").doesNotContainKey("db.url")
                .containsEntry("sql", "SELECT name FROM accounts");
    }

    @Test
    void aDriversEntryPointInsideTheExecutionThatCalledItIsItsInnerHalf() {
        gateAnswering(Outcome.PERMIT);
        Connection connection = connection(metaData("jdbc:postgresql://db/test", "PostgreSQL", null));
        Statement statement = statement();
        Object cachedQuery = new Object();
        JdbcActions.statementCreated(statement, new Object[0], connection);

        ActionScope execute = ActionScope.enter(JdbcActions.SURFACE);
        JdbcActions.decideExecution(execute, statement, new Object[] {"SELECT 1"}, "executeQuery");
        ActionScope flags = ActionScope.enter(JdbcActions.SURFACE);
        JdbcActions.decideDriverExecution(flags, statement, new Object[] {"SELECT 1", 0}, "executeWithFlags");
        ActionScope query = ActionScope.enter(JdbcActions.SURFACE);
        JdbcActions.decideDriverExecution(query, statement, new Object[] {cachedQuery, 0}, "executeWithFlags");
        query.exit();
        flags.exit();
        execute.exit();
        JdbcActions.decideDriverExecution(scope(), statement, new Object[] {"DELETE FROM notes", 0}, "executeWithFlags");
        JdbcActions.decideDriverExecution(scope(), statement, new Object[] {cachedQuery, 0}, "executeWithFlags");

        assertThat(flags.inherited()).isTrue();
        assertThat(query.inherited()).isTrue();
        assertThat(decided).hasSize(3);
        assertThat(decided.get(1).attributes()).containsEntry("sql", "DELETE FROM notes").containsEntry("jdbc.method", "executeWithFlags");
        assertThat(decided.get(2).attributes()).as("a driver's query object alone: unknown SQL").doesNotContainKey("sql");
    }

    @Test
    void whenTheMetadataOrWhatItAnswersThrowsEveryStatementOfTheConnectionIsRefusedAsUnreadable() {
        gateAnswering(Outcome.PERMIT);
        RuntimeException applications = new IllegalStateException() {
            @Override
            public String getMessage() {
                throw new AssertionError("the application's exception was asked for its message");
            }
        };
        List<Connection> unreadable = List.of(
                connection(applications),
                connection(null),
                connection(metaData(null, "H2", new SQLException("no URL today"))),
                connection(metaData("jdbc:h2:mem:x", null, new SQLException("no product today"))));

        for (Connection connection : unreadable) {
            Statement first = statement();
            Statement second = statement();
            JdbcActions.statementCreated(first, new Object[] {"SELECT tag FROM notes"}, connection);
            JdbcActions.statementCreated(second, new Object[0], connection);

            for (Statement statement : List.of(first, second)) {
                Decision decision = JdbcActions.decideExecution(scope(), statement, new Object[] {"SELECT tag FROM notes"}, "executeQuery");
                assertThat(decision.blocks()).as("%s", connection).isTrue();
                assertThat(decision.reason()).startsWith("could not read the connection's metadata: ");
                assertThat(JdbcActions.refusal(decision)).isInstanceOf(SQLException.class)
                        .satisfies(refusal -> assertThat(((SQLException) refusal).getSQLState()).isEqualTo("42501"));
            }
        }
        assertThat(decided).hasSize(8).allSatisfy(request -> {
            assertThat(request.surface()).isEqualTo("jdbc");
            assertThat(request.attributes()).containsOnlyKeys(Decision.UNREADABLE_ATTRIBUTE);
        });
    }

    @Test
    void aDriversStatementHandedOutThroughAnUndescribableWrapperIsRefusedToo() {
        gateAnswering(Outcome.PERMIT);
        Connection driver = connection(metaData("jdbc:h2:mem:notes", "H2", null));
        Connection wrapper = connection(new IllegalStateException("the wrapper's metadata is not available"));
        Statement statement = statement();

        // The driver's creation advice runs first (inside the wrapper's method), then the wrapper's.
        JdbcActions.statementCreated(statement, new Object[] {"SELECT tag FROM notes"}, driver);
        JdbcActions.statementCreated(statement, new Object[] {"SELECT tag FROM notes"}, wrapper);
        Decision decision = JdbcActions.decideExecution(scope(), statement, new Object[0], "executeQuery");

        assertThat(decision.blocks()).isTrue();
        assertThat(decision.reason()).isEqualTo("could not read the connection's metadata: "
                + "java.lang.IllegalStateException: the wrapper's metadata is not available");
        assertThat(decided).singleElement().satisfies(request -> assertThat(request.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
    }

    @Test
    void anH2MetadataReadIsDecidedAsTheInformationSchemaQueryOfItsFactsWithItsConnection() {
        gateAnswering(Outcome.DENY);
        Connection connection = connection(metaData("jdbc:h2:./notes", "H2", null));
        Object databaseMeta = new Object();
        JdbcActions.driverApiCreated(databaseMeta, connection);

        Decision decision = JdbcActions.decideH2MetadataRead(scope(), databaseMeta, "getIndexInfo");

        assertThat(decision.blocks()).isTrue();
        assertThat(decided).singleElement().satisfies(request -> assertThat(request.attributes())
                .containsEntry("sql", "SELECT * FROM INFORMATION_SCHEMA.INDEXES, INFORMATION_SCHEMA.INDEX_COLUMNS, "
                        + "INFORMATION_SCHEMA.TABLES")
                .containsEntry("jdbc.method", "getIndexInfo").containsEntry("db.url", "jdbc:h2:./notes")
                .containsEntry("db.product", "H2"));
    }

    @Test
    void anH2MetadataAnswerOfH2sOwnConstantsIsNotDecidedAndAnUnknownOneIsRefused() {
        gateAnswering(Outcome.PERMIT);
        Object databaseMeta = new Object();
        JdbcActions.driverApiCreated(databaseMeta, connection(metaData("jdbc:h2:mem:notes", "H2", null)));

        assertThat(JdbcActions.decideH2MetadataRead(scope(), databaseMeta, "getTypeInfo")).isNull();
        assertThat(JdbcActions.decideH2MetadataRead(scope(), databaseMeta, "getTableTypes")).isNull();
        assertThat(decided).isEmpty();

        Decision unknown = JdbcActions.decideH2MetadataRead(scope(), databaseMeta, "getSecrets");
        assertThat(unknown.blocks()).isTrue();
        assertThat(unknown.reason()).isEqualTo("an H2 metadata call Warden does not know: getSecrets");
    }

    @Test
    void anH2MetadataReadPermittedOnlyWithRestrictedResultsIsRefused() {
        TestGate.answerWith(request -> new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1",
                new Obligations(10, java.util.Set.of(), false)));
        Object databaseMeta = new Object();
        JdbcActions.driverApiCreated(databaseMeta, connection(metaData("jdbc:h2:mem:notes", "H2", null)));

        assertThat(JdbcActions.decideH2MetadataRead(scope(), databaseMeta, "getColumns").blocks()).isTrue();
    }

    @Test
    void anExecutionGivenNullSqlIsMarkedSoWhateverTheStatementWasPreparedWith() {
        gateAnswering(Outcome.DENY);
        Connection connection = connection(metaData("jdbc:h2:mem:notes", "H2", null));
        Statement plain = statement();
        Statement prepared = statement();
        Statement preparedWithNull = statement();
        JdbcActions.statementCreated(plain, new Object[0], connection);
        JdbcActions.statementCreated(prepared, new Object[] {"SELECT tag FROM notes"}, connection);
        JdbcActions.statementCreated(preparedWithNull, new Object[] {null}, connection);

        JdbcActions.decideExecution(scope(), plain, new Object[] {null}, "execute");
        JdbcActions.decideExecution(scope(), prepared, new Object[] {null}, "addBatch");
        JdbcActions.decideExecution(scope(), preparedWithNull, new Object[0], "execute");
        JdbcActions.decideExecution(scope(), prepared, new Object[0], "execute");

        assertThat(decided).hasSize(4);
        assertThat(decided.subList(0, 3)).allSatisfy(request -> assertThat(request.attributes())
                .containsEntry(JdbcActions.NULL_SQL, true).doesNotContainKey("sql"));
        assertThat(decided.get(3).attributes()).containsEntry("sql", "SELECT tag FROM notes").doesNotContainKey(JdbcActions.NULL_SQL);
    }

    /**
     * A tenth review: the results a statement holds keep the obligations of the execution that made them. A refused
     * execution on the same statement, or a statement added to its batch, left getResultSet() unrestricted.
     */
    @Test
    void theResultsAStatementHoldsKeepTheirObligationsUntilAPermittedExecutionReplacesThem() {
        Obligations redacted = new Obligations(-1, java.util.Set.of("ssn"), false);
        Decision redactedRead = new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1", redacted);
        Decision plain = new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-2", Obligations.NONE);
        Decision refused = new Decision(Outcome.DENY, true, List.of("rule"), "no", "receipt-3", Obligations.NONE);
        Statement statement = statement();
        JdbcActions.statementCreated(statement, new Object[0], connection(metaData("jdbc:h2:mem:notes", "H2", null)));

        JdbcActions.record(statement, "execute", redactedRead, null, false);
        JdbcActions.record(statement, "execute", refused, null, false);
        JdbcActions.record(statement, "addBatch", plain, null, false);
        assertThat(JdbcActions.obligationsOf(statement)).isEqualTo(redacted);
        assertThat(JdbcActions.keyObligationsOf(statement).redact()).containsExactly("ssn");

        JdbcActions.record(statement, "executeUpdate", plain, new SQLException("failed, before or after the driver closed its results"), false);
        assertThat(JdbcActions.obligationsOf(statement).redact()).containsExactly("ssn");
        assertThat(JdbcActions.outParameterRefusal(statement)).isInstanceOf(SQLException.class)
                .hasMessageContaining("redact=ssn");

        JdbcActions.record(statement, "executeUpdate", plain, null, false);
        assertThat(JdbcActions.obligationsOf(statement)).isEqualTo(Obligations.NONE);
        assertThat(JdbcActions.keyObligationsOf(statement)).isEqualTo(Obligations.NONE);
        assertThat(JdbcActions.outParameterRefusal(statement)).isNull();

        JdbcActions.record(statement, "addBatch", redactedRead, null, false);
        assertThat(JdbcActions.obligationsOf(statement)).isEqualTo(Obligations.NONE);
        assertThat(JdbcActions.keyObligationsOf(statement).redact()).as("a batch's keys").containsExactly("ssn");
    }

    /**
     * When an execution's obligations cannot be recorded (an out-of-memory error while recording them; here, a decision
     * whose obligations cannot be combined), what the statement holds is refused, not read under the obligations of
     * the execution before, until a permitted execution that returned replaces it.
     */
    @Test
    void resultsWhoseObligationsWereNotRecordedAreRefusedNotReadUnderOlderOnes() {
        Decision plain = new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
        Decision uncombinable = new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-2", null);
        Statement statement = statement();
        JdbcActions.statementCreated(statement, new Object[0], connection(metaData("jdbc:h2:mem:notes", "H2", null)));
        JdbcActions.record(statement, "execute", plain, null, false);
        assertThat(JdbcActions.unrecordedResultsRefusal(statement)).isNull();

        JdbcActions.record(statement, "execute", uncombinable, new SQLException("failed after the driver ran"), false);
        assertThat(JdbcActions.unrecordedResultsRefusal(statement)).isInstanceOf(SQLException.class)
                .hasMessageContaining("could not be recorded");
        assertThat(JdbcActions.outParameterRefusal(statement)).as("an OUT parameter too").isInstanceOf(SQLException.class)
                .hasMessageContaining("could not be recorded");
        JdbcActions.record(statement, "addBatch", plain, null, false);
        assertThat(JdbcActions.unrecordedResultsRefusal(statement)).as("a batch replaces no results").isNotNull();

        JdbcActions.record(statement, "execute", plain, null, false);
        assertThat(JdbcActions.unrecordedResultsRefusal(statement)).isNull();
        assertThat(JdbcActions.outParameterRefusal(statement)).isNull();
    }

    /**
     * An eleventh review: {@code executed} is public, on the boot class path, and a decision is a record anyone can
     * make. Called by code that is not the statement's own (here, this test), it changes nothing the statement holds.
     */
    @Test
    void onlyTheStatementsOwnCodeReplacesTheObligationsOfWhatItHolds() {
        Obligations redacted = new Obligations(-1, java.util.Set.of("ssn"), false);
        Decision redactedRead = new Decision(Outcome.PERMIT, true, List.of("rule"), "because", "receipt-1", redacted);
        Decision forged = new Decision(Outcome.PERMIT, true, List.of("the host's"), "the host's own", null, Obligations.NONE);
        Statement statement = statement();
        JdbcActions.statementCreated(statement, new Object[0], connection(metaData("jdbc:h2:mem:notes", "H2", null)));
        JdbcActions.record(statement, "execute", redactedRead, null, false);

        JdbcActions.executed(statement, "execute", forged, null);

        assertThat(JdbcActions.obligationsOf(statement)).isEqualTo(redacted);
        assertThat(JdbcActions.keyObligationsOf(statement)).isEqualTo(redacted);
        JdbcActions.executed(statement, "execute", redactedRead, null);
        assertThat(JdbcActions.obligationsOf(statement)).as("the same obligations again: nothing to look up").isEqualTo(redacted);
    }

    private static ActionScope scope() {
        ActionScope scope = ActionScope.enter(JdbcActions.SURFACE);
        scope.exit();
        return scope;
    }

    private static Statement statement() {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    throw new AssertionError("the statement was called: " + method.getName());
                });
    }

    /** A connection whose getMetaData answers {@code metaData}, or throws it when it is an exception. */
    private static Connection connection(Object metaData) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getMetaData")) {
                        if (metaData instanceof Throwable) {
                            throw (Throwable) metaData;
                        }
                        return metaData;
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    throw new AssertionError("the connection was called: " + method.getName());
                });
    }

    /** Metadata answering {@code url} and {@code product} (each throws {@code failure} when null). */
    private static DatabaseMetaData metaData(String url, String product, SQLException failure) {
        Map<String, String> answers = new java.util.HashMap<>();
        answers.put("getURL", url);
        answers.put("getDatabaseProductName", product);
        answers.put("getUserName", "sa");
        return (DatabaseMetaData) Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                (proxy, method, args) -> {
                    String answer = answers.get(method.getName());
                    if (answer == null) {
                        throw failure;
                    }
                    return answer;
                });
    }
}
