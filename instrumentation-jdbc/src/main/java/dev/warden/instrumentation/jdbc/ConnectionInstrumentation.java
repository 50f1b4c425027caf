package dev.warden.instrumentation.jdbc;

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
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

/**
 * Remembers, for each statement a connection creates, its SQL (a prepared statement's execute
 * methods take none) and which connection it came from. Nothing a connection does is exempt: SQL a
 * driver runs while connecting, from its URL or properties, or inside its own connection and
 * metadata methods is decided like the application's, as is whatever host code those methods call.
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
    }

    static final class StatementCreatedAdvice {

        @Advice.OnMethodExit
        static void onExit(@Advice.This Connection connection, @Advice.AllArguments Object[] arguments,
                           @Advice.Return Object statement) {
            JdbcActions.statementCreated(statement, arguments, connection);
        }
    }
}
