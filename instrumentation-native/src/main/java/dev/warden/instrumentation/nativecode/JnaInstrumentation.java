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
 * JNA opens libraries with {@code dlopen} through its own native stub, past the JDK: every
 * {@code Native.load}, {@code Native.register}, {@code Function.getFunction} and
 * {@code NativeLibrary.getInstance} that is not answered from JNA's cache ends in the private
 * {@code NativeLibrary.loadLibrary(String, Map)}, and the process handle ({@code getProcess}, every
 * symbol already loaded) in {@code getInstance(null, Map)}. (JNA's own stub, {@code jnidispatch}, is
 * loaded with {@code System.load}: that is a JNI load, decided as such.) A refusal is the
 * {@code UnsatisfiedLinkError} JNA throws for a library it cannot load. Matched by name suffix too,
 * for copies shaded into other libraries.
 */
final class JnaInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("com.sun.jna.NativeLibrary").or(nameEndsWith(".com.sun.jna.NativeLibrary"));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("loadLibrary").and(isStatic()).and(takesArguments(String.class, Map.class)),
                LoadLibraryAdvice.class);
        transformer.applyAdvice(named("getInstance").and(isStatic()).and(takesArguments(String.class, Map.class)),
                ProcessAdvice.class);
    }

    static final class LoadLibraryAdvice {

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

    /** {@code getInstance} of a name goes to {@code loadLibrary} when it opens anything; of null, it opens the process. */
    static final class ProcessAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static UnsatisfiedLinkError onEnter(@Advice.Argument(0) String name) {
            return name == null ? NativeActions.refusalForJnaLoad(null) : null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter UnsatisfiedLinkError denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
