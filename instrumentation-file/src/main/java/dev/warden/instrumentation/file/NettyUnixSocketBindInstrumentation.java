package dev.warden.instrumentation.file;

import dev.warden.bootstrap.file.FileActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.SocketAddress;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty's native transports bind a unix-domain socket in JNI, past the JDK: {@code io.netty.channel.unix.Socket.bind}
 * with Netty's {@code DomainSocketAddress} (epoll's and kqueue's domain socket servers and datagram channels, and Netty
 * 4.2's io_uring, whose {@code LinuxSocket} extends that class) makes the socket file the JDK's bind makes
 * ({@link UnixSocketBindInstrumentation}), and was not decided until the thirteenth session. Matched by name suffix,
 * for the copies shaded into other libraries.
 */
final class NettyUnixSocketBindInstrumentation implements TypeInstrumentation {

    private static final ElementMatcher.Junction<MethodDescription> BIND = named("bind").and(takesArguments(SocketAddress.class));

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameEndsWith("io.netty.channel.unix.Socket").and(declaresMethod(BIND));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(BIND, BindAdvice.class);
    }

    static final class BindAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object socket, @Advice.Argument(0) SocketAddress local) {
            return FileActions.refusalForNettySocketBind(socket, local);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
