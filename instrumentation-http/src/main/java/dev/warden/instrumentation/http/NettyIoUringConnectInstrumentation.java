package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.NetActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.InetSocketAddress;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty's io_uring transport (the incubator's {@code io.netty.incubator.channel.uring} for Netty 4.1, and Netty 4.2's
 * {@code io.netty.channel.uring}) never calls {@code Socket.connect}: it writes the address into native memory and
 * submits an {@code IORING_OP_CONNECT} to the ring, which the kernel runs. The one Java method every such connect
 * passes through with the address it submits is the channel's private {@code submitConnect(InetSocketAddress)}; a
 * refusal thrown there fails the connect promise, as any connect error does, and nothing is submitted (until a
 * twelfth review, 2026-12-07, these connects were not decided at all). Matched by name suffix, for shaded copies.
 */
final class NettyIoUringConnectInstrumentation implements TypeInstrumentation {

    static final String VIA = "netty-io_uring";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameEndsWith("io.netty.incubator.channel.uring.AbstractIOUringChannel")
                .or(nameEndsWith("io.netty.channel.uring.AbstractIoUringChannel"))
                .and(declaresMethod(named("submitConnect").and(takesArguments(InetSocketAddress.class))));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("submitConnect").and(takesArguments(InetSocketAddress.class)), ConnectAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object channel, @Advice.Argument(0) InetSocketAddress endpoint,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(NetActions.SURFACE);
            return NetActions.refusalForNativeConnect(scope, channel, endpoint, VIA);
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
