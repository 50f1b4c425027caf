package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * pgjdbc's copy API ({@code PGConnection.getCopyAPI()}, public and documented): {@code copyIn},
 * {@code copyOut} and {@code copyDual} send their SQL to the server outside any statement, and the
 * server runs whatever SQL that is. Every overload (readers, streams, {@code ByteStreamWriter}) and
 * {@code PGCopyInputStream}/{@code PGCopyOutputStream} start the operation through the three methods
 * taking only the SQL, so those are decided, as the SQL they send; the {@code CopyIn}/{@code CopyOut}
 * operation a permitted call returns is that action's own data.
 */
final class PgCopyInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.postgresql.copy.CopyManager");
    }

    /** One named class: a version where an advised method was renamed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isConstructor().and(takesArguments(1)), DriverApiCreatedAdvice.class);
        transformer.applyAdvice(namedOneOf("copyIn", "copyOut", "copyDual").and(takesArguments(String.class)), CopyAdvice.class);
    }

    static final class CopyAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Object copyManager, @Advice.Origin("#m") String method,
                                 @Advice.Argument(0) String sql, @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            return JdbcActions.refusal(JdbcActions.decideDriverSql(scope, copyManager, sql, method));
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
