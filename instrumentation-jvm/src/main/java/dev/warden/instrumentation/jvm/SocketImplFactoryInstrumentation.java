package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.jvm.SocketImplFactories;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.net.Socket.setSocketImplFactory}, asked before the factory is kept ({@link SocketImplFactories}); the
 * refusal is the {@code SecurityException} the method's security check would throw.
 */
final class SocketImplFactoryInstrumentation implements TypeInstrumentation {

    static final String SOCKET = "java.net.Socket";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(SOCKET);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of(SOCKET);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isStatic().and(named("setSocketImplFactory")).and(takesArguments(1)), InstallAdvice.class);
    }

    static final class InstallAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static SecurityException onEnter(@Advice.Argument(0) Object factory) {
            return SocketImplFactories.refusalToInstall(factory);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter SecurityException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
