package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.NativeActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The foreign-function API (final in JDK 22, preview in 21, absent in 17, where this matches
 * nothing): {@code SymbolLookup.libraryLookup(String, Arena)} and {@code libraryLookup(Path, Arena)}
 * open a library with {@code dlopen}, outside every class loader's table, so the JNI advice never
 * sees them. Decided as a {@code LOAD} of the name or path as given; a refusal is the
 * {@code IllegalArgumentException} the method throws for a library it cannot load. The advice takes
 * the argument as {@code Object}, so that Warden compiles and runs on JDK 17.
 */
final class SymbolLookupInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.foreign.SymbolLookup");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("libraryLookup").and(isPublic()).and(isStatic()).and(takesArguments(2)),
                LibraryLookupAdvice.class);
    }

    static final class LibraryLookupAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IllegalArgumentException onEnter(@Advice.Argument(0) Object library) {
            return NativeActions.refusalForLibraryLookup(library);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IllegalArgumentException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
