package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.sql.Driver;
import java.util.List;
import java.util.Properties;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Opening a connection: SQL the URL or the properties tell the driver to run while connecting (H2's
 * {@code INIT=} and settings, MariaDB's {@code initSql}) never passes a {@code Statement}, so it is
 * decided here, as the statement it is, before the driver connects; the driver is handed the copy of
 * the properties that was decided on. A refusal fails the connect. Only the driver that accepts the
 * URL decides it: {@code DriverManager} offers every URL to every driver in turn, and a URL is one
 * connect, with one receipt.
 */
final class DriverInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Driver.class.getName()).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Driver.class.getName());
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("connect").and(not(isAbstract())).and(takesArguments(String.class, Properties.class)),
                ConnectAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Driver driver, @Advice.Argument(0) String url,
                                 @Advice.Argument(value = 1, readOnly = false) Properties properties,
                                 @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            try {
                if (!driver.acceptsURL(url)) {
                    return null; // it returns null without connecting: the driver that accepts the URL decides
                }
            } catch (Throwable unreadable) {
                return JdbcActions.refusal(scope.refused(JdbcActions.unreadableConnect(unreadable)));
            }
            JdbcActions.ConnectDecision connect = JdbcActions.decideConnect(scope, url, properties);
            properties = connect.properties();
            return connect.refusal();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Throwable denial, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
