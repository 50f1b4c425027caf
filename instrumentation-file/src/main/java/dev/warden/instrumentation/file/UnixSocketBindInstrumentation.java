package dev.warden.instrumentation.file;

import dev.warden.bootstrap.file.FileActions;
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
 * A unix-domain socket bound to a name (JDK 16+): {@code ServerSocketChannel.bind} and {@code SocketChannel.bind} with a
 * {@code UnixDomainSocketAddress}, and a server's {@code bind(null)} to a temporary name, end in
 * {@code sun.nio.ch.UnixDomainSockets.bind(FileDescriptor, Path)} just before the native {@code bind}, which makes a
 * socket file at that name (the same on JDK 17 and 25). The {@code jvm} surface advises this class's {@code connect};
 * the file the bind makes is this surface's. A refusal is an {@code IOException} that is no {@code BindException}, so
 * a server drawing temporary names does not draw again.
 */
final class UnixSocketBindInstrumentation implements TypeInstrumentation {

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
        transformer.applyAdvice(named("bind").and(takesArguments(FileDescriptor.class, Path.class)), BindAdvice.class);
    }

    static final class BindAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(1) Path path) {
            return FileActions.refusalForSocketBind(path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
