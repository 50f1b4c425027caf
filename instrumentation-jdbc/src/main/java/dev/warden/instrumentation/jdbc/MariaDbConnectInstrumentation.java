package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.mariadb.jdbc.Configuration;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * MariaDB Connector/J's one way into a database: the public static
 * {@code org.mariadb.jdbc.Driver.connect(Configuration)}, which {@code Driver.connect(String,
 * Properties)}, {@code MariaDbDataSource}, {@code MariaDbPoolDataSource} and its pool all call, and
 * which a host can call itself, with a {@code Configuration} built however it likes. What the
 * configuration makes the driver run while connecting ({@code initSql}, {@code sessionVariables}) is
 * decided here, before anything connects; inside the driver's own decided {@code Driver.connect} it is
 * that connect's inner half, with one receipt.
 */
final class MariaDbConnectInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.mariadb.jdbc.Driver");
    }

    /** One named class: a version whose static connect changed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isStatic().and(named("connect")).and(takesArguments(1))
                .and(takesArgument(0, named("org.mariadb.jdbc.Configuration"))),
                ConnectAdvice.class);
    }

    static final class ConnectAdvice {

        /** Runs before the method's body, so nothing has connected when it is refused. */
        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) Configuration configuration) throws Throwable {
            ActionScope scope = ActionScope.enter(JdbcActions.SURFACE);
            Throwable refusal = null;
            try {
                if (!scope.isWardensOwn()) {
                    String url;
                    String initSql;
                    String sessionVariables;
                    String createDatabase;
                    try {
                        url = configuration.initialUrl();
                        initSql = configuration.initSql();
                        sessionVariables = configuration.sessionVariables();
                        createDatabase = configuration.createDatabaseIfNotExist() ? String.valueOf(configuration.database()) : null;
                    } catch (Throwable unreadable) { // a null configuration: refused, never connected undecided
                        throw JdbcActions.refusal(scope.refused(JdbcActions.unreadableConnect(unreadable)));
                    }
                    refusal = JdbcActions.decideConfiguredConnect(scope, url, initSql, sessionVariables, createDatabase);
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
