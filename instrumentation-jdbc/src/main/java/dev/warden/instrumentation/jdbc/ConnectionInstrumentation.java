package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.sql.Connection;
import java.util.List;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Remembers, for each statement a connection creates, its SQL (a prepared statement's execute
 * methods take none) and which connection it came from. Nothing a connection does is exempt: SQL a
 * driver runs while connecting, from its URL or properties, or inside its own connection and
 * metadata methods is decided like the application's, as is whatever host code those methods call.
 * <p>
 * {@code setCatalog} and {@code setSchema} change what later SQL touches without SQL of the
 * application's (MariaDB sends its protocol's change-database command, H2 sets its session's schema):
 * each is decided as an action of its own, operation {@code USE}, and once permitted the
 * connection's later statements are described with the catalog or schema it switched to.
 */
final class ConnectionInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Connection.class.getName()).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Connection.class.getName());
    }

    @Override
    public void transform(TypeTransformer transformer) {
        // Every method that hands out a statement, public or not: a driver's own factory methods too.
        transformer.applyAdvice(not(isAbstract()).and(nameStartsWith("prepare").or(nameStartsWith("createStatement")))
                .and(returns(isSubTypeOf(java.sql.Statement.class))), StatementCreatedAdvice.class);
        transformer.applyAdvice(isPublic().and(not(isAbstract())).and(namedOneOf("setCatalog", "setSchema"))
                .and(takesArguments(String.class)), SwitchAdvice.class);
    }

    /** {@code setCatalog(name)}, {@code setSchema(name)}: decided; a permitted switch is remembered for later statements. */
    static final class SwitchAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Connection connection, @Advice.Origin("#m") String method,
                                 @Advice.Argument(0) String name, @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            return JdbcActions.refusal(JdbcActions.decideSwitch(scope, connection, method, name));
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Connection connection, @Advice.Origin("#m") String method,
                           @Advice.Argument(0) String name, @Advice.Enter Throwable denial,
                           @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial != null) {
                thrown = denial;
            } else if (thrown == null) {
                JdbcActions.switched(scope, connection, method, name);
            }
        }
    }

    static final class StatementCreatedAdvice {

        @Advice.OnMethodExit
        static void onExit(@Advice.This Connection connection, @Advice.AllArguments Object[] arguments,
                           @Advice.Return Object statement) {
            JdbcActions.statementCreated(statement, arguments, connection);
        }
    }
}
