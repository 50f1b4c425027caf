package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.NetActions;
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
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty's io_uring transport (the incubator's {@code io.netty.incubator.channel.uring} for Netty 4.1, and Netty 4.2's
 * {@code io.netty.channel.uring}) never calls {@code Socket.connect}: it writes the address into native memory and
 * submits to the ring, which the kernel runs, either an {@code IORING_OP_CONNECT} or, with TCP Fast Open, a
 * {@code sendmsg(MSG_FASTOPEN)} carrying the first bytes. Both start in the channel's unsafe {@code connect(remote,
 * local, promise)}, which casts the remote address to {@code InetSocketAddress} for either: decided there, before
 * anything is submitted. A refusal thrown there fails the connect promise (Netty's pipeline fails the promise of an
 * outbound call that throws). Until a twelfth review, 2026-12-07, these connects were not decided at all. Netty 4.2's
 * {@code IoUringDomainSocketChannel} connects a unix-domain socket through the same method: its {@code DomainSocketAddress}
 * is decided as {@code CONNECT unix:<path>}, as the epoll transport's (until the thirteenth session it was left to the
 * transport, undecided); any other address type is refused unread. Matched by name suffix, for shaded copies.
 */
final class NettyIoUringConnectInstrumentation implements TypeInstrumentation {

    static final String VIA = "netty-io_uring";

    /** {@code connect(SocketAddress remote, SocketAddress local, ChannelPromise promise)} */
    private static final ElementMatcher.Junction<MethodDescription> CONNECT = named("connect")
            .and(takesArguments(3)).and(takesArgument(0, SocketAddress.class)).and(takesArgument(1, SocketAddress.class));

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameEndsWith("io.netty.incubator.channel.uring.AbstractIOUringChannel$AbstractUringUnsafe")
                .or(nameEndsWith("io.netty.channel.uring.AbstractIoUringChannel$AbstractUringUnsafe"))
                .and(declaresMethod(CONNECT));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(CONNECT, ConnectAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object unsafe, @Advice.Argument(0) SocketAddress endpoint,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(NetActions.SURFACE);
            return NetActions.refusalForNativeConnect(scope, unsafe, endpoint, VIA);
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
