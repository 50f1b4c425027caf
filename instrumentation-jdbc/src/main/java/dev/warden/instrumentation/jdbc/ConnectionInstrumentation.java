package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.bootstrap.CallDepth;
import dev.warden.bootstrap.Gate;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.sql.Connection;
import java.sql.DatabaseMetaData;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isOverriddenFrom;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

/**
 * Remembers, for each statement a connection creates, its SQL (a prepared statement's execute
 * methods take none) and what the connection is. Statements a driver runs inside its own
 * connection methods ({@code isValid}, {@code getTransactionIsolation}, {@code setReadOnly}...) are
 * the driver's implementation, not the application's action: they run nested, and are not decided.
 */
final class ConnectionInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return isSubTypeOf(Connection.class).and(not(isInterface()));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        ElementMatcher.Junction<net.bytebuddy.description.method.MethodDescription> createsStatement =
                nameStartsWith("prepare").or(nameStartsWith("createStatement"))
                        .and(returns(isSubTypeOf(java.sql.Statement.class)));
        transformer.applyAdvice(isPublic().and(not(isAbstract())).and(createsStatement), StatementCreatedAdvice.class);
        // Only the java.sql.Connection methods themselves: none takes SQL to execute. A wrapper's own
        // extra methods (an application's executeRaw(sql)) must not become an ungated scope.
        transformer.applyAdvice(isMethod().and(not(isAbstract())).and(not(createsStatement))
                .and(isOverriddenFrom(Connection.class)), DriverInternalsAdvice.class);
    }

    /** Holds the JDBC call depth across a driver's own connection method. */
    static final class DriverInternalsAdvice {

        @Advice.OnMethodEnter
        static CallDepth onEnter() {
            CallDepth depth = CallDepth.of(JdbcActions.SURFACE);
            depth.enter();
            return depth;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter CallDepth depth) {
            depth.exit();
        }
    }

    static final class StatementCreatedAdvice {

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void onExit(@Advice.This Connection connection, @Advice.AllArguments Object[] arguments,
                           @Advice.Return Object statement) {
            // Suppressing is safe here: nothing is denied at creation, and a statement whose SQL
            // was not captured is still decided at execution (as unknown SQL, which rules refuse).
            if (statement == null) {
                return;
            }
            if (!JdbcActions.knowsConnection(connection)) {
                boolean wasInternal = Gate.enterInternal();
                try {
                    DatabaseMetaData metaData = connection.getMetaData();
                    JdbcActions.connectionDescribed(connection, metaData.getURL(), metaData.getUserName(),
                            metaData.getDatabaseProductName());
                } catch (java.sql.SQLException | RuntimeException ignored) {
                    JdbcActions.connectionDescribed(connection, null, null, null);
                } finally {
                    Gate.exitInternal(wasInternal);
                }
            }
            String sql = arguments.length > 0 && arguments[0] instanceof String ? (String) arguments[0] : null;
            JdbcActions.statementCreated(statement, sql, connection);
        }
    }
}
