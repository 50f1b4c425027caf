package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.NativeActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The foreign-function API's library loads (final in JDK 22, preview in 21; absent in 17, where this
 * matches nothing): {@code SymbolLookup.libraryLookup(String, Arena)} and {@code libraryLookup(Path,
 * Arena)} open a library with {@code dlopen}, outside every class loader's table, through
 * {@code jdk.internal.loader.RawNativeLibraries.load(String)}. Decided there, on the string the JDK
 * hands to {@code dlopen}: for a {@code Path}, that is what the application's {@code Path} object
 * answers to {@code toRealPath().toString()}, which a {@code Path} of the application's own making
 * need not match with what it says elsewhere. The table records whom it was made for: the JDK's own
 * system lookup is not {@code SymbolLookup}, and is exempt. A refusal is the
 * {@code IllegalArgumentException} {@code libraryLookup} throws for a library it cannot load.
 */
final class RawLibraryInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("jdk.internal.loader.RawNativeLibraries");
    }

    /** JDK 18+ only: on JDK 17 the class does not exist. */
    @Override
    public List<String> optionalJdkTypes() {
        return List.of("jdk.internal.loader.RawNativeLibraries");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("load").and(isPublic()).and(takesArguments(String.class)), LoadAdvice.class);
    }

    static final class LoadAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IllegalArgumentException onEnter(@Advice.FieldValue("caller") Class<?> opener, @Advice.Argument(0) String pathname) {
            return NativeActions.refusalForForeignLoad(opener, pathname);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IllegalArgumentException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
