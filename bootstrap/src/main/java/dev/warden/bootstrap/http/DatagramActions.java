package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * UDP under {@code net}: a datagram sent to an address is {@code SEND} to it, decided per datagram
 * (an identical one gets the earlier ruling, and still its own receipt); connecting a datagram socket
 * or channel is {@code CONNECT}, and what it then writes to its one peer is covered by that decision.
 */
public final class DatagramActions {

    /**
     * The call-depth key of datagram advice: a {@code DatagramSocket}'s send passes through the
     * channel's own send, and a JNDI DNS query's datagrams are the query's (decided as {@code RESOLVE}).
     */
    public static final String DEPTH = "net.datagram";

    private DatagramActions() {
    }

    /**
     * @param destination   the {@link DatagramPacket} or {@link SocketAddress} the send names (null:
     *                      the socket's peer)
     * @param connectedPeer the socket's peer when it is connected, else null
     * @param via           {@code datagram} (a {@code DatagramSocket} or {@code MulticastSocket}) or
     *                      {@code datagram-channel}
     * @return the exception the send must fail with, or null when it may proceed
     */
    public static IOException refusalForSend(ActionScope scope, Object destination, SocketAddress connectedPeer, String via) {
        try {
            SocketAddress target = destination instanceof DatagramPacket ? packetDestination((DatagramPacket) destination)
                    : (SocketAddress) destination;
            if (target == null) {
                return null; // to the connected peer, or (not connected) the JDK throws before anything is sent
            }
            if (connectedPeer != null && connectedPeer.equals(target)) { // the JDK's equals: never the host's
                // To the peer the connect was decided for. Any other address is decided even on a
                // connected socket (where the JDK then refuses it): another thread may disconnect it
                // between this check and the send.
                return null;
            }
            return decide(scope, "SEND", target, via);
        } catch (RuntimeException | Error failure) {
            return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the datagram", failure)));
        }
    }

    /** A datagram socket or channel connecting to {@code endpoint}: its later writes go there only. */
    public static IOException refusalForConnect(ActionScope scope, SocketAddress endpoint, String via) {
        try {
            return decide(scope, "CONNECT", endpoint, via);
        } catch (RuntimeException | Error failure) {
            return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the datagram connect", failure)));
        }
    }

    /** A legacy {@code DatagramSocketImpl}-based socket's send; its peer is two fields, an address and a port. */
    public static IOException refusalForLegacySend(ActionScope scope, DatagramPacket packet, InetAddress connectedAddress, int connectedPort) {
        try {
            SocketAddress peer = connectedAddress == null ? null : new InetSocketAddress(connectedAddress, connectedPort);
            return refusalForSend(scope, packet, peer, "datagram");
        } catch (RuntimeException | Error failure) {
            return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the datagram", failure)));
        }
    }

    /** A legacy {@code DatagramSocketImpl}-based socket connecting to {@code address:port}. */
    public static IOException refusalForConnect(ActionScope scope, InetAddress address, int port, String via) {
        try {
            return decide(scope, "CONNECT", address == null ? null : new InetSocketAddress(address, port), via);
        } catch (RuntimeException | Error failure) {
            return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the datagram connect", failure)));
        }
    }

    /**
     * A datagram Netty's native transport (epoll, kqueue) sends from JNI ({@code sendto} in {@code Socket.sendTo*}),
     * past the JDK's datagram channel: a {@code SEND} to {@code address:port}, as the JDK's are.
     */
    public static IOException refusalForNativeSend(ActionScope scope, InetAddress address, int port, String via) {
        try {
            return decide(scope, "SEND", address == null ? null : new InetSocketAddress(address, port), via);
        } catch (RuntimeException | Error failure) {
            return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the datagram", failure)));
        }
    }

    /**
     * The datagrams of one {@code sendmmsg} of Netty's epoll transport ({@code LinuxSocket.sendmmsg}), each a
     * {@code SEND} to its recipient as Netty's packet holds it for the native call ({@link NettyDatagramPackets}). The
     * call sends them all or fails: the first refusal refuses it (Netty then fails that message and sends the rest
     * again, each decided again).
     */
    public static IOException refusalForNativeSends(ActionScope scope, Object[] packets, int offset, int count, String via) {
        try {
            for (InetSocketAddress recipient : NettyDatagramPackets.recipients(packets, offset, count)) {
                IOException refusal = decide(scope, "SEND", recipient, via);
                if (refusal != null) {
                    return refusal;
                }
            }
            return null;
        } catch (ReflectiveOperationException | java.net.UnknownHostException | RuntimeException | Error failure) {
            return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the datagrams", failure)));
        }
    }

    /**
     * A message written to Netty's io_uring datagram channel, decided in its {@code filterOutboundMessage}, before the
     * write is queued: an envelope is a {@code SEND} to its recipient ({@link NettyDatagramPackets#envelopeRecipient});
     * a buffer goes to the connected peer, whose connect was decided, as epoll's do. A refusal fails that write.
     */
    public static IOException refusalForRingWrite(ActionScope scope, Object channel, Object message, String via) {
        try {
            InetSocketAddress recipient = NettyDatagramPackets.envelopeRecipient(channel, message);
            return recipient == null ? null : decide(scope, "SEND", recipient, via);
        } catch (ReflectiveOperationException | RuntimeException | Error failure) {
            return HttpActions.refusal(Gate.refuseUnreadable(NetActions.SURFACE, Decision.unreadable("could not describe the datagram", failure)));
        }
    }

    private static SocketAddress packetDestination(DatagramPacket packet) {
        return packet.getAddress() == null ? null : packet.getSocketAddress();
    }

    private static IOException decide(ActionScope scope, String operation, SocketAddress endpoint, String via) {
        Map<String, Object> attributes = Endpoints.base(via, "udp");
        String target = Endpoints.describe(endpoint, attributes);
        Decision decision = scope.decideAsPartOfEnclosing(new ActionRequest(NetActions.SURFACE, operation, target, attributes));
        return decision != null && decision.blocks() ? HttpActions.refusal(decision) : null;
    }
}
