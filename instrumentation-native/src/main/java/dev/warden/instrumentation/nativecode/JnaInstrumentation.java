package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.NativeActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * JNA opens libraries with {@code dlopen} through its own native stub, past the JDK. Every
 * {@code Native.load}, {@code Native.register}, {@code Function.getFunction},
 * {@code NativeLibrary.getInstance} and {@code getProcess} goes through
 * {@code NativeLibrary.getInstance(String, Map)}, and every {@code dlopen} JNA makes is inside it
 * (in it, or in the private {@code loadLibrary} it calls). It is decided there, on the name as given,
 * before JNA rewrites it: on Linux JNA answers {@code "c"} with the process handle ({@code null}, every
 * symbol already loaded), so deciding further in would see a different name for the same request.
 * (JNA's own stub, {@code jnidispatch}, is loaded with {@code System.load}: a JNI load, decided as
 * such.) A refusal is the {@code UnsatisfiedLinkError} JNA throws for a library it cannot load.
 * Matched by name suffix too, for copies shaded into other libraries.
 */
final class JnaInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("com.sun.jna.NativeLibrary").or(nameEndsWith(".com.sun.jna.NativeLibrary"));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("getInstance").and(isStatic()).and(takesArguments(String.class, Map.class)),
                GetInstanceAdvice.class);
    }

    static final class GetInstanceAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static UnsatisfiedLinkError onEnter(@Advice.Argument(0) String name) {
            return NativeActions.refusalForJnaLoad(name);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter UnsatisfiedLinkError denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
