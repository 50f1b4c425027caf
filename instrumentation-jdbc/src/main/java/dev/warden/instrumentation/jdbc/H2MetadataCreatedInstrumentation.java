package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Which connection an H2 {@code DatabaseMeta} answers for: {@code JdbcDatabaseMetaData}'s constructor takes the
 * connection and the session's {@code DatabaseMeta}, so its reads ({@link H2MetadataInstrumentation}) are described
 * with that connection's URL, user and product, like its statements. A {@code DatabaseMeta} the host builds itself is
 * decided without them.
 */
final class H2MetadataCreatedInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.h2.jdbc.JdbcDatabaseMetaData");
    }

    /** One named class: a version whose constructor or fields changed is refused, not left undescribed. */
    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isConstructor(), CreatedAdvice.class);
    }

    static final class CreatedAdvice {

        @Advice.OnMethodExit
        static void onExit(@Advice.FieldValue("meta") Object metadata, @Advice.FieldValue("conn") Object connection) {
            JdbcActions.driverApiCreated(metadata, connection);
        }
    }
}
