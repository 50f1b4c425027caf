package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Properties;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * pgjdbc's one way into a database: the public constructor {@code org.postgresql.jdbc.PgConnection(
 * HostSpec[], Properties, String url)}, which {@code Driver.connect} and pgjdbc's data sources call and
 * a host can call itself. What its properties make the server set for the session ({@code options})
 * is decided here, from the properties alone (the constructor reads nothing else), before anything
 * connects; the constructor is handed the copy that was decided on. Inside pgjdbc's own decided
 * {@code Driver.connect} on the same thread it is that connect's inner half, with one receipt.
 */
final class PgConnectionInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.postgresql.jdbc.PgConnection");
    }

    /** One named class: a version whose constructor changed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isConstructor().and(takesArguments(3))
                .and(takesArgument(0, named("org.postgresql.util.HostSpec[]")))
                .and(takesArgument(1, Properties.class)).and(takesArgument(2, String.class)), ConstructorAdvice.class);
    }

    static final class ConstructorAdvice {

        /** Runs before the constructor's body, so nothing of the connection exists when it is refused. */
        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(value = 1, readOnly = false) Properties info,
                            @Advice.Argument(2) String url) throws Throwable {
            ActionScope scope = ActionScope.enter(JdbcActions.SURFACE);
            Throwable refusal = null;
            try {
                if (!scope.isWardensOwn()) {
                    JdbcActions.ConnectDecision connect = JdbcActions.decidePgConnection(scope, url, info);
                    info = connect.properties();
                    refusal = connect.refusal();
                }
            } finally {
                scope.exit();
            }
            if (refusal != null) {
                throw refusal;
            }
        }
    }
}
