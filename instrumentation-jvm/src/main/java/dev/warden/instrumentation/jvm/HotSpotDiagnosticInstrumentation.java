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
 * {@code HotSpotDiagnosticMXBean}'s implementation: {@code dumpHeap}, which has the JVM write the heap where the file
 * gate never looks, and {@code setVMOption}, which changes a manageable flag (one of them names where a heap dump on
 * {@code OutOfMemoryError} goes). Both are decided on entry, on the caller's strings; a refusal is the
 * {@code SecurityException} both methods declare for a caller that may not.
 */
final class HotSpotDiagnosticInstrumentation implements TypeInstrumentation {

    static final String DIAGNOSTIC = "com.sun.management.internal.HotSpotDiagnostic";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(DIAGNOSTIC);
    }

    @Override
    public List<String> requiredJdkTypes() {
        // A runtime image without jdk.management (jlink) has no such MBean: nothing to gate, and no reason to refuse to start.
        return ModuleLayer.boot().findModule("jdk.management").isPresent() ? List.of(DIAGNOSTIC) : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("dumpHeap").and(takesArguments(String.class, boolean.class)), DumpHeapAdvice.class);
        transformer.applyAdvice(named("setVMOption").and(takesArguments(String.class, String.class)), SetOptionAdvice.class);
    }

    static final class DumpHeapAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static SecurityException onEnter(@Advice.Argument(0) String outputFile, @Advice.Argument(1) boolean live) {
            return JvmActions.refusalForHeapDump(outputFile, live);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter SecurityException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class SetOptionAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static SecurityException onEnter(@Advice.Argument(0) String name, @Advice.Argument(1) String value) {
            return JvmActions.refusalForOption(name, value);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter SecurityException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
