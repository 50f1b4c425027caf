package dev.warden.instrumentation.http;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.http.DatagramActions;
import dev.warden.bootstrap.http.NetActions;
import dev.warden.bootstrap.http.UnixSocketActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketAddress;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty's native transports (epoll, kqueue) connect in JNI, past {@code java.net} and NIO: every
 * connect of theirs goes through {@code io.netty.channel.unix.Socket.connect}, and a TCP Fast Open
 * connect through one of its {@code sendTo*} methods with {@code fastOpen} set (the SYN leaves with
 * the first bytes; when permitted, the connect call that may follow for the same socket is not decided
 * again). The same methods without {@code fastOpen} send UDP datagrams from JNI: each is a datagram {@code SEND},
 * decided as the JDK's are, and a unix-domain datagram ({@code sendTo*DomainSocket}) a {@code SEND unix:<path>} (until an
 * eleventh review, 2026-12-07, neither was gated at all; epoll's batched {@code sendmmsg} is
 * {@link NettyNativeDatagramInstrumentation}'s).
 * Matched by name suffix too, for the copies shaded into other libraries (gRPC's
 * {@code io.grpc.netty.shaded.io.netty...}). A refusal is thrown there, and Netty fails the connect
 * promise with it, as with any connect error.
 */
final class NettyNativeSocketInstrumentation implements TypeInstrumentation {

    static final String VIA = "netty-native";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameEndsWith("io.netty.channel.unix.Socket")
                .and(declaresMethod(named("connect").and(takesArguments(SocketAddress.class)).and(returns(boolean.class))));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("connect").and(takesArguments(SocketAddress.class)), ConnectAdvice.class);
        // sendTo(buffer, pos, limit, address, port, fastOpen) and sendToAddress(memory, pos, limit, address, port, fastOpen);
        // their overloads without fastOpen pass false to these
        transformer.applyAdvice(namedOneOf("sendTo", "sendToAddress").and(takesArguments(6))
                .and(takesArgument(3, InetAddress.class)).and(takesArgument(5, boolean.class)), SendToAdvice.class);
        // sendToDomainSocket(buffer, pos, limit, path), sendToAddressDomainSocket(memory, pos, limit, path) and
        // sendToAddressesDomainSocket(memory, length, path): a unix datagram, the path last
        transformer.applyAdvice(namedOneOf("sendToDomainSocket", "sendToAddressDomainSocket", "sendToAddressesDomainSocket")
                .and(takesArguments(4).and(takesArgument(3, byte[].class)).or(takesArguments(3).and(takesArgument(2, byte[].class)))),
                DomainSendAdvice.class);
        // sendToAddresses(memory, length, address, port, fastOpen)
        transformer.applyAdvice(named("sendToAddresses").and(takesArguments(5))
                .and(takesArgument(2, InetAddress.class)).and(takesArgument(4, boolean.class)), SendToVectorAdvice.class);
    }

    static final class ConnectAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object socket, @Advice.Argument(0) SocketAddress endpoint,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(NetActions.SURFACE);
            return NetActions.refusalForNativeConnect(scope, socket, endpoint, VIA);
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

    /** A datagram, unless {@code fastOpen}: then it is the connect. */
    static final class SendToAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object socket, @Advice.Argument(3) InetAddress address,
                                   @Advice.Argument(4) int port, @Advice.Argument(5) boolean fastOpen,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(fastOpen ? NetActions.SURFACE : DatagramActions.DEPTH);
            return fastOpen ? NetActions.refusalForFastOpen(scope, socket, address, port, VIA)
                    : DatagramActions.refusalForNativeSend(scope, address, port, VIA);
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

    /** A unix-domain datagram, to the socket file its path (its last argument, the bytes the native call gets) names. */
    static final class DomainSendAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.AllArguments Object[] arguments) {
            return UnixSocketActions.refusalForDatagram((byte[]) arguments[arguments.length - 1], VIA);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    /** {@link SendToAdvice} for the scatter variant, whose address comes two arguments earlier. */
    static final class SendToVectorAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.This Object socket, @Advice.Argument(2) InetAddress address,
                                   @Advice.Argument(3) int port, @Advice.Argument(4) boolean fastOpen,
                                   @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(fastOpen ? NetActions.SURFACE : DatagramActions.DEPTH);
            return fastOpen ? NetActions.refusalForFastOpen(scope, socket, address, port, VIA)
                    : DatagramActions.refusalForNativeSend(scope, address, port, VIA);
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
