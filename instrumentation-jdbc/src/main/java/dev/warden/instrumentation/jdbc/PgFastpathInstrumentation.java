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
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * pgjdbc's fastpath API ({@code PGConnection.getFastpathAPI()}, public, deprecated): calls any server
 * function by its object id, outside SQL ({@code pg_read_file}, {@code lo_export}...). Every method
 * ({@code fastpath}, {@code getInteger}, {@code getLong}, {@code getOID}, {@code getData}, by name or by
 * id) and the large-object API built on it ({@code getLargeObjectAPI()}) call
 * {@code fastpath(int, FastpathArg[])}, which is decided as a {@code CALL} of that OID: no permit
 * covers it unless a rule names the function.
 */
final class PgFastpathInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.postgresql.fastpath.Fastpath");
    }

    /** One named class: a version where an advised method was renamed is refused, not left ungated. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isConstructor().and(takesArguments(1)), DriverApiCreatedAdvice.class);
        transformer.applyAdvice(named("fastpath").and(takesArguments(2)).and(takesArgument(0, int.class)), CallAdvice.class);
    }

    static final class CallAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Object fastpath, @Advice.Origin("#m") String method,
                                 @Advice.Argument(0) int oid, @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            return JdbcActions.refusal(JdbcActions.decideFunctionCall(scope, fastpath, oid, method));
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
