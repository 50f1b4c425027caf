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
 * {@code INIT=}) never passes a {@code Statement}, so it is decided here, as the statement it is,
 * before the driver connects. A refusal fails the connect.
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
        static Throwable onEnter(@Advice.Argument(0) String url, @Advice.Argument(1) Properties properties,
                                 @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            String init;
            try {
                init = properties == null ? null : properties.getProperty("INIT");
            } catch (Throwable unreadable) { // a Properties subclass that throws: refused, never connected undecided
                return JdbcActions.refusal(scope.refused(JdbcActions.unreadableConnect(unreadable)));
            }
            return JdbcActions.refusalForConnectInit(scope, url, init);
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
