package dev.warden.instrumentation.http;

import dev.warden.bootstrap.CallDepth;
import dev.warden.bootstrap.http.NetActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Blocking sockets: every {@code java.net.Socket} connect, including the JDK's TLS sockets, ends in
 * {@code connect(SocketAddress, int)}. {@code Socket} is loaded long before premain, so this relies
 * on retransformation, and on {@code java.base} reading Warden's bootstrap classes.
 */
final class SocketInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.net.Socket");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.net.Socket");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("connect").and(takesArguments(SocketAddress.class, int.class)), ConnectAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object socket, @Advice.Argument(0) SocketAddress endpoint,
                                   @Advice.Local("wardenDepth") CallDepth depth) {
            depth = CallDepth.of(NetActions.SURFACE);
            return depth.enter(socket) ? NetActions.refusalFor(endpoint, "socket") : null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Local("wardenDepth") CallDepth depth,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            depth.exit();
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
