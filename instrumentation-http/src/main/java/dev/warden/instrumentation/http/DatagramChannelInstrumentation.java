package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.DatagramActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * UDP, through the one class every datagram goes through since JDK 17: {@code DatagramSocket} and
 * {@code MulticastSocket} delegate to a {@code sun.nio.ch.DatagramSocketAdaptor} over a
 * {@code sun.nio.ch.DatagramChannelImpl}, the class {@code DatagramChannel.open()} returns.
 * <ul>
 *   <li>{@code send(ByteBuffer, SocketAddress)}: every datagram sent to an address; one to a
 *       connected channel's peer is covered by its connect;</li>
 *   <li>{@code blockingSend(..)}: the socket adaptor's send (a {@code DatagramPacket} on JDK 25, a
 *       buffer and address on JDK 17), decided as {@code via=datagram}; the channel send it makes
 *       inside is the same datagram, not decided again;</li>
 *   <li>{@code connect(SocketAddress, boolean)}: both connects; the adaptor's passes {@code false}
 *       (it may reconnect), {@code DatagramChannel.connect} passes {@code true}.</li>
 * </ul>
 * {@code write} on a connected channel is not advised: it can only reach the decided peer.
 */
final class DatagramChannelInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.nio.ch.DatagramChannelImpl");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("sun.nio.ch.DatagramChannelImpl");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("send").and(takesArguments(ByteBuffer.class, SocketAddress.class)), ChannelSendAdvice.class);
        transformer.applyAdvice(named("blockingSend"), BlockingSendAdvice.class);
        transformer.applyAdvice(named("connect").and(takesArguments(SocketAddress.class, boolean.class)), ConnectAdvice.class);
    }

    static final class ChannelSendAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(1) SocketAddress target,
                                   @Advice.FieldValue("remoteAddress") InetSocketAddress peer,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(DatagramActions.DEPTH);
            return DatagramActions.refusalForSend(scope, target, peer, "datagram-channel");
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

    /** {@code blockingSend(DatagramPacket)} since JDK 18, {@code blockingSend(ByteBuffer, SocketAddress)} on 17: the destination is last. */
    static final class BlockingSendAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.AllArguments Object[] arguments,
                                   @Advice.FieldValue("remoteAddress") InetSocketAddress peer,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(DatagramActions.DEPTH);
            return DatagramActions.refusalForSend(scope, arguments[arguments.length - 1], peer, "datagram");
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

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) SocketAddress endpoint, @Advice.Argument(1) boolean check,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(DatagramActions.DEPTH);
            return DatagramActions.refusalForConnect(scope, endpoint, check ? "datagram-channel" : "datagram");
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
