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
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * H2's one way into a database from a URL: {@code org.h2.jdbc.JdbcConnection(url, info, user,
 * password, forbidCreation)}, which {@code org.h2.Driver.connect}, {@code JdbcDataSource}'s
 * {@code getConnection}/{@code getXAConnection}/{@code getPooledConnection} and the pools built on
 * them all construct; a data source never calls {@code Driver.connect}. The SQL the URL and
 * properties make H2 run is decided here, as at {@code Driver.connect}; inside H2's own
 * {@code Driver.connect} the request is the same, so the constructor inherits that decision and the
 * connect has one receipt. H2's other constructors take an open session, not a URL.
 */
final class H2ConnectionInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.h2.jdbc.JdbcConnection");
    }

    /** One named class: a version whose constructor changed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isConstructor().and(takesArguments(String.class, Properties.class, String.class,
                Object.class, boolean.class)), ConstructorAdvice.class);
    }

    static final class ConstructorAdvice {

        /** Runs before the constructor's body, so nothing of the connection exists when it is refused. */
        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) String url,
                            @Advice.Argument(value = 1, readOnly = false) Properties info) throws Throwable {
            ActionScope scope = ActionScope.enter(JdbcActions.SURFACE);
            Throwable refusal = null;
            try {
                if (!scope.isWardensOwn()) {
                    JdbcActions.ConnectDecision connect = JdbcActions.decideConnect(scope, url, info);
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
