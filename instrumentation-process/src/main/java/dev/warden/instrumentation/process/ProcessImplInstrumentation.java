package dev.warden.instrumentation.process;

import dev.warden.bootstrap.process.ProcessActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.util.Map;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The one place every process start passes on JDK 17 to 25: the package-private
 * {@code static Process java.lang.ProcessImpl.start(String[] cmdarray, Map environment, String dir,
 * Redirect[] redirects, boolean redirectErrorStream)}, called only by {@code ProcessBuilder.start},
 * which {@code startPipeline} and every {@code Runtime.exec} overload call. It receives the JDK's own
 * copy of the command, so what is decided is exactly what runs, however the application's list
 * behaves. A refusal skips the method: no process, no file descriptor, no redirect file is opened.
 */
final class ProcessImplInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.ProcessImpl");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.lang.ProcessImpl");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("start").and(isStatic()).and(takesArguments(5)), StartAdvice.class);
    }

    static final class StartAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) String[] command,
                                   @Advice.Argument(value = 1, readOnly = false) Map<String, String> environment,
                                   @Advice.Argument(2) String directory,
                                   @Advice.Argument(value = 3, readOnly = false) ProcessBuilder.Redirect[] redirects,
                                   @Advice.Argument(4) boolean redirectErrorStream) {
            ProcessActions.Start start = ProcessActions.start(command, environment, directory, redirects, redirectErrorStream);
            environment = start.environment();
            redirects = start.redirects();
            return start.refusal();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException refusal, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (refusal != null) {
                thrown = refusal;
            }
        }
    }
}
