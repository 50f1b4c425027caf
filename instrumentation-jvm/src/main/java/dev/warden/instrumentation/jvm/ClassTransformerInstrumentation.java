package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.jvm.ClassTransformers;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code sun.instrument.InstrumentationImpl.addTransformer(transformer, canRetransform)}, the JDK's one
 * {@code Instrumentation} (its one-argument form calls this one), asked before the transformer is registered
 * ({@link ClassTransformers}); the refusal is a {@code SecurityException}.
 */
final class ClassTransformerInstrumentation implements TypeInstrumentation {

    static final String INSTRUMENTATION = "sun.instrument.InstrumentationImpl";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(INSTRUMENTATION);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of(INSTRUMENTATION);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("addTransformer").and(takesArguments(2)), AddAdvice.class);
    }

    static final class AddAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static SecurityException onEnter(@Advice.This Object instrumentation, @Advice.Argument(0) Object transformer,
                                         @Advice.Argument(1) boolean canRetransform) {
            return ClassTransformers.refusalToAdd(instrumentation, transformer, canRetransform);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter SecurityException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
