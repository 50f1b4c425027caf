package dev.warden.instrumentation.file;

import dev.warden.bootstrap.file.FileActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * JFR's files the JVM writes itself: {@code jdk.jfr.internal.MetadataRepository.setOutput(String)} (the same on JDK 17
 * and 25) is where JFR hands the JVM every file it is to write next, a memory recording's destination on {@code stop()}
 * and each chunk of a disk recording, just before the native {@code JVM.setOutput} that opens it. A refusal throws
 * before anything is opened.
 */
final class JfrOutputInstrumentation implements TypeInstrumentation {

    private static final String TYPE = "jdk.jfr.internal.MetadataRepository";

    /** A runtime without the {@code jdk.jfr} module (jlink) has no JFR to write anything. */
    private static final boolean CHECKED = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(TYPE);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return CHECKED ? List.of(TYPE) : List.of();
    }

    @Override
    public List<String> optionalJdkTypes() {
        return CHECKED ? List.of() : List.of(TYPE);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("setOutput").and(takesArguments(String.class)), OutputAdvice.class);
    }

    static final class OutputAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException onEnter(@Advice.Argument(0) String filename) {
            return FileActions.refusalForJfrOutput(filename);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter RuntimeException refusal, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (refusal != null) {
                thrown = refusal;
            }
        }
    }
}
