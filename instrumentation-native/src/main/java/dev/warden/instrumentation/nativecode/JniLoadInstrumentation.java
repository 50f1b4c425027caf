package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.NativeActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Every JNI load, whichever of {@code System.load}, {@code System.loadLibrary}, {@code Runtime.load}
 * and {@code Runtime.loadLibrary} asked for it, and whatever a class loader's {@code findLibrary}
 * answered, ends in {@code jdk.internal.loader.NativeLibraries.loadLibrary(Class, String, boolean)}
 * (JDK 17 to 25) with the canonical path of the one file about to be mapped, in the library table
 * of the calling class's loader. Deciding there makes one decision per file the JDK opens, on the
 * path it really opens (a {@code loadLibrary} name resolved, symlinks followed), and tells the JDK's
 * own loads (JDK classes, into the boot and platform loaders' tables) from the application's by the
 * table and the calling class's module, not by a name. The refusal is thrown there and reaches the caller of
 * {@code System.load*} as the {@code UnsatisfiedLinkError} those methods declare.
 */
final class JniLoadInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("jdk.internal.loader.NativeLibraries");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("jdk.internal.loader.NativeLibraries");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("loadLibrary").and(isPrivate()).and(takesArguments(Class.class, String.class, boolean.class)),
                LoadAdvice.class);
    }

    static final class LoadAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static UnsatisfiedLinkError onEnter(@Advice.FieldValue("loader") ClassLoader loader,
                                            @Advice.FieldValue("libraries") Map<?, ?> libraries,
                                            @Advice.Argument(0) Class<?> fromClass, @Advice.Argument(1) String path,
                                            @Advice.Argument(2) boolean builtin) {
            return NativeActions.refusalForJniLoad(loader, fromClass, path, builtin, libraries);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter UnsatisfiedLinkError denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
