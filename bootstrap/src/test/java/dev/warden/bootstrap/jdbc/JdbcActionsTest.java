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
        TestGate.answerWith(request -> {
            decided.add(request);
            return new Decision(outcome, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
        });
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
