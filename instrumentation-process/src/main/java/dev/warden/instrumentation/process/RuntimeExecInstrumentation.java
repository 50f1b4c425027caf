package dev.warden.instrumentation.process;

import dev.warden.bootstrap.process.ProcessActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.File;
import java.io.IOException;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code Runtime.exec(String, String[], File)}, which the other {@code exec(String...)} overloads call:
 * the JDK rejects an empty command string here, before any builder exists, so only that case is
 * decided here. Every other command string becomes a builder and is decided where it starts.
 */
final class RuntimeExecInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.Runtime");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.lang.Runtime");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("exec").and(takesArguments(String.class, String[].class, File.class)), ExecAdvice.class);
    }

    static final class ExecAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) String command) {
            return ProcessActions.refusalForCommandLine(command);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException refusal, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (refusal != null) {
                thrown = refusal;
            }
        }
    }
}
