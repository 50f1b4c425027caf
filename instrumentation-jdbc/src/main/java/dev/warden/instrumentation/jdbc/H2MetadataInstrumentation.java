package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

/**
 * H2 answers {@code DatabaseMetaData} without SQL: every method of its {@code JdbcDatabaseMetaData} that returns a
 * result set delegates to the session's {@code org.h2.jdbc.meta.DatabaseMeta} (local: read from the engine's schema
 * objects; remote: asked of the server; legacy: an old server's own queries, run below JDBC), which returns H2's
 * {@code ResultInterface}. Every public method of a {@code DatabaseMeta} returning one is decided, so a method added
 * later is decided too (and refused until Warden knows what it reads), as a read of the {@code INFORMATION_SCHEMA}
 * tables SQL would read for the same facts. Its string answers (keywords, function names, the search escape) are
 * H2's constants, not decided.
 */
final class H2MetadataInstrumentation implements TypeInstrumentation {

    static final String DATABASE_META = "org.h2.jdbc.meta.DatabaseMeta";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameStartsWith("org.h2.").and(hasSuperTypeNamed(DATABASE_META)).and(isClass());
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isPublic().and(not(isAbstract())).and(returns(named("org.h2.result.ResultInterface"))),
                ReadAdvice.class);
    }

    static final class ReadAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Throwable onEnter(@Advice.This Object metadata, @Advice.Origin("#m") String method,
                                 @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(JdbcActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            return JdbcActions.refusal(JdbcActions.decideH2MetadataRead(scope, metadata, method));
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
