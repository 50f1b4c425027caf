package dev.warden.instrumentation.process;

import dev.warden.bootstrap.process.ProcessActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code ProcessBuilder}'s private {@code start(Redirect[])}, which {@code start()} and
 * {@code startPipeline} call for each process. Two jobs, neither of them the decision of a start that
 * happens ({@link ProcessImplInstrumentation} makes that one): a command the JDK will reject before a
 * process could exist (empty, null or NUL-bearing arguments), or that cannot even be read, is decided
 * here so that it too has a receipt; and a refusal from {@code ProcessImpl}, which the JDK wraps in its
 * own "Cannot run program" exception, reaches the application as itself.
 */
final class ProcessBuilderInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.ProcessBuilder");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.lang.ProcessBuilder");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("start").and(isPrivate()).and(takesArguments(1)), StartAdvice.class);
    }

    static final class StartAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.FieldValue("command") List<String> command) {
            return ProcessActions.refusalForUnstartable(command);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException refusal, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (refusal != null) {
                thrown = refusal;
            } else if (thrown != null) {
                thrown = ProcessActions.unwrapped(thrown);
            }
        }
    }
}
