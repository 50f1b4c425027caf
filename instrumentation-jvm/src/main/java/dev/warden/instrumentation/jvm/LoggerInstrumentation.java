package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.jvm.OwnWorkLogs;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.util.logging.Logger.log(LogRecord)}, where every record of a logger goes before its filter and its
 * handlers and its parents' are called (every other {@code log}, {@code logp} and level method ends here, as the JDK's
 * platform and {@code System.Logger}s do when {@code java.logging} is their back end): skipped on Warden's own work
 * ({@link OwnWorkLogs}).
 */
final class LoggerInstrumentation implements TypeInstrumentation {

    static final String LOGGER = "java.util.logging.Logger";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(LOGGER);
    }

    /** A runtime image without {@code java.logging} has no handlers to keep out. */
    @Override
    public List<String> requiredJdkTypes() {
        return ModuleLayer.boot().findModule("java.logging").isPresent() ? List.of(LOGGER) : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("log").and(takesArguments(1)).and(takesArgument(0, named("java.util.logging.LogRecord"))),
                LogAdvice.class);
    }

    static final class LogAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean onEnter() {
            return OwnWorkLogs.dropped();
        }
    }
}
