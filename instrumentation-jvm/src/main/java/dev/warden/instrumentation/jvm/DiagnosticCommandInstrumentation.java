package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.jvm.JvmActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Every diagnostic command the {@code DiagnosticCommand} MBean runs goes through its per-command wrapper's
 * {@code execute(String[])} (JDK 17 to 25), which joins the command's name and the arguments with spaces into the
 * line the JVM parses. It is decided there, on the command the JVM listed (the wrapper's {@code cmd}), never on the
 * operation name the caller used. The advice hands the method a copy of the arguments, decided on: the caller's
 * array could change between the decision and the join. A refusal is the {@code SecurityException} the MBean throws
 * to a caller that may not.
 */
final class DiagnosticCommandInstrumentation implements TypeInstrumentation {

    static final String WRAPPER = "com.sun.management.internal.DiagnosticCommandImpl$Wrapper";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(WRAPPER);
    }

    @Override
    public List<String> requiredJdkTypes() {
        // A runtime image without jdk.management (jlink) has no such MBean: nothing to gate, and no reason to refuse to start.
        return ModuleLayer.boot().findModule("jdk.management").isPresent() ? List.of(WRAPPER) : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("execute").and(takesArguments(String[].class)), ExecuteAdvice.class);
    }

    static final class ExecuteAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static SecurityException onEnter(@Advice.FieldValue("cmd") String command,
                                         @Advice.Argument(value = 0, readOnly = false) String[] arguments) {
            if (arguments != null) {
                arguments = arguments.clone();
            }
            return JvmActions.refusalForCommand(command, arguments);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter SecurityException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
