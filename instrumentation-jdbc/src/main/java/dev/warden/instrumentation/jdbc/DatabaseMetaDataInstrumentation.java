package dev.warden.instrumentation.jdbc;

import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.sql.DatabaseMetaData;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isOverriddenFrom;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Metadata calls ({@code getTables}, {@code getUserName}...) are answered by queries the driver
 * writes itself against its catalog: like connection housekeeping, they run nested and are not
 * decided as the application's statements.
 */
final class DatabaseMetaDataInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return isSubTypeOf(DatabaseMetaData.class).and(not(isInterface()));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isMethod().and(not(isAbstract())).and(isOverriddenFrom(DatabaseMetaData.class)),
                ConnectionInstrumentation.DriverInternalsAdvice.class);
    }
}
