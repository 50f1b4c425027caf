package dev.warden.instrumentation.process;

import dev.warden.bootstrap.process.ProcessSignals;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Where every request to end a process passes on JDK 17 to 25: {@code java.lang.ProcessHandleImpl.destroyProcess(boolean)},
 * called by {@code ProcessHandle.destroy()}, {@code destroyForcibly()} and {@code Process.destroy()}, just before its
 * native {@code destroy0} sends the signal. A refusal skips it, and the caller gets {@code false}.
 */
final class ProcessDestroyInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.ProcessHandleImpl");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.lang.ProcessHandleImpl");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("destroyProcess").and(takesArguments(boolean.class)), DestroyAdvice.class);
    }

    static final class DestroyAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean onEnter(@Advice.This ProcessHandle self, @Advice.Argument(0) boolean force) {
            return ProcessSignals.refusesDestroy(self, force);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter boolean refused, @Advice.Return(readOnly = false) boolean signalled) {
            if (refused) {
                signalled = false;
            }
        }
    }
}
