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
 * The foreign-function API's downcalls: {@code Linker} is sealed, and its one implementation,
 * {@code jdk.internal.foreign.abi.AbstractLinker} (JDK 21+; absent in 17, where this matches nothing),
 * makes every downcall handle in {@code downcallHandle(MemorySegment, FunctionDescriptor, Option...)}
 * (bound to an address) or {@code downcallHandle(FunctionDescriptor, Option...)} (the address comes
 * with each call); neither calls the other. A downcall needs no load: libc is already in the process
 * ({@code Linker.nativeLinker().defaultLookup()}), so this is where calling {@code system} is
 * stopped. Decided as {@code LINK}, unless the caller is the JDK's own code (JDK 25 shapes text in
 * {@code java.desktop} with HarfBuzz through downcalls) or Warden's; a refusal is the
 * {@code IllegalCallerException} the method throws for a caller without native access.
 */
final class LinkerInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("jdk.internal.foreign.abi.AbstractLinker");
    }

    /** JDK 21+ only: on JDK 17 the class does not exist. */
    @Override
    public List<String> optionalJdkTypes() {
        return List.of("jdk.internal.foreign.abi.AbstractLinker");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("downcallHandle").and(isPublic()).and(takesArguments(3)), BoundAdvice.class);
        transformer.applyAdvice(named("downcallHandle").and(isPublic()).and(takesArguments(2)), UnboundAdvice.class);
    }

    static final class BoundAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IllegalCallerException onEnter(@Advice.Argument(0) Object symbol, @Advice.Argument(1) Object descriptor) {
            return NativeActions.refusalForDowncall(symbol, descriptor);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IllegalCallerException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class UnboundAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IllegalCallerException onEnter(@Advice.Argument(0) Object descriptor) {
            return NativeActions.refusalForDowncall(null, descriptor);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IllegalCallerException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
