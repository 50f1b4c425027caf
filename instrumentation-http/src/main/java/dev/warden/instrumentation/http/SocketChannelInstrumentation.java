package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
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
 * NIO channels, blocking or not: Netty, the JDK's own {@code HttpClient}, Apache's async I/O reactor
 * all connect through {@code sun.nio.ch.SocketChannelImpl.connect}; a channel's {@code socket()} adaptor
 * (a {@code java.net.Socket} that overrides {@code connect}) through its {@code blockingConnect}.
 */
final class SocketChannelInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.nio.ch.SocketChannelImpl");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("sun.nio.ch.SocketChannelImpl");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        // A channel's socket() adaptor connects through blockingConnect, not connect.
        transformer.applyAdvice(named("connect").and(takesArguments(SocketAddress.class))
                .or(named("blockingConnect").and(takesArguments(SocketAddress.class, long.class))), ConnectAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object channel, @Advice.Argument(0) SocketAddress endpoint,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(NetActions.SURFACE);
            return NetActions.refusalFor(scope, endpoint, "channel");
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
