package dev.warden.instrumentation.jdbc;

import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.sql.Driver;

import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Opening a connection: what a driver executes while connecting (SQLite's {@code PRAGMA}s, session
 * settings) is its own set-up, not the application's statements, and runs nested.
 */
final class DriverInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return isSubTypeOf(Driver.class).and(not(isInterface()));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isPublic().and(named("connect")), ConnectionInstrumentation.DriverInternalsAdvice.class);
    }
}
