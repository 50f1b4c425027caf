package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.http.UnixSocketActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Unix-domain sockets (JDK 16+): {@code SocketChannel.open(UnixDomainSocketAddress)} and
 * {@code connect(UnixDomainSocketAddress)}, blocking or not, end in
 * {@code sun.nio.ch.UnixDomainSockets.connect(FileDescriptor, Path)} just before the native connect.
 * The TCP advice on {@code SocketChannelImpl.connect} leaves these to it. It belongs to the {@code jvm} surface, which
 * is gated whatever {@code surfaces=} names, because one such socket is the JVM's own attach listener, which hands the
 * control key to whoever connects: without {@code net} gated only that one is decided ({@code jvm ATTACH},
 * {@link UnixSocketActions#gateNet}), with it every unix connect is.
 */
final class UnixDomainSocketInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.nio.ch.UnixDomainSockets");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("sun.nio.ch.UnixDomainSockets");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("connect").and(takesArguments(FileDescriptor.class, Path.class)), ConnectAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(1) Path path) {
            return UnixSocketActions.refusalFor(path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
