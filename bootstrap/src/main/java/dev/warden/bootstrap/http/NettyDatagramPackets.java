package dev.warden.bootstrap.http;

import java.lang.reflect.Field;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where Netty's native datagrams go. Those of one {@code sendmmsg} of Netty's epoll transport: the native call reads each packet's
 * recipient from Netty's {@code NativeDatagramPacketArray$NativeDatagramPacket} ({@code recipientAddr}, always 16
 * bytes, an IPv4 address in its IPv4-mapped form, with {@code recipientAddrLen}, {@code recipientScopeId} and
 * {@code recipientPort}), so these fields are read here, and nothing of the packet's is called. A packet whose
 * {@code recipientAddrLen} is 0 goes to the connected peer, whose connect was decided. Any other shape (a Netty that
 * lays its packets out otherwise) is a failure to read, which the caller refuses. A message written to Netty's io_uring
 * datagram channel: see {@link #envelopeRecipient}.
 */
final class NettyDatagramPackets {

    private NettyDatagramPackets() {
    }

    /**
     * @return the recipients of {@code packets[offset, offset + count)}, in order; none for those to the connected peer
     */
    static List<InetSocketAddress> recipients(Object[] packets, int offset, int count) throws ReflectiveOperationException, UnknownHostException {
        List<InetSocketAddress> recipients = new ArrayList<>();
        if (count <= 0) {
            return recipients;
        }
        if (packets == null || offset < 0 || offset > packets.length - count) {
            throw new IllegalArgumentException("packets out of range: " + offset + "+" + count);
        }
        for (int i = offset; i < offset + count; i++) {
            InetSocketAddress recipient = recipient(packets[i]);
            if (recipient != null) {
                recipients.add(recipient);
            }
        }
        return recipients;
    }

    /** The io_uring datagram channels, Netty 4.1's incubator's and Netty 4.2's. */
    private static final String[] RING_CHANNELS = {"io.netty.incubator.channel.uring.IOUringDatagramChannel",
            "io.netty.channel.uring.IoUringDatagramChannel"};
    /** Netty's own envelopes, whose {@code recipient()} is the final field the constructor set. */
    private static final String[] NETTYS_ENVELOPES = {"io.netty.channel.socket.DatagramPacket", "io.netty.channel.DefaultAddressedEnvelope",
            "io.netty.channel.unix.SegmentedDatagramPacket", "io.netty.channel.epoll.SegmentedDatagramPacket"};

    /** Per channel class: its Netty's envelope interface and own envelope classes, resolved as the channel resolves them. */
    private static final ClassValue<Envelopes> ENVELOPES = new ClassValue<>() {
        @Override
        protected Envelopes computeValue(Class<?> channel) {
            return Envelopes.of(channel);
        }
    };

    /**
     * Where a message written to Netty's io_uring datagram channel goes: its write loop sends an envelope to its
     * {@code recipient()}, asked again when the ring is given it, and anything else (a buffer) to the connected peer.
     * So an envelope must be of one of Netty's own classes, the ones the channel's loader gives, whose recipient is a
     * final field, read here; an envelope of any other class (the application's, which may answer otherwise the second
     * time) is a failure to read, which the caller refuses.
     *
     * @return the envelope's recipient; null for a message that is not an envelope or an envelope without a recipient
     * (both go to the connected peer, whose connect was decided, or nowhere)
     */
    static InetSocketAddress envelopeRecipient(Object channel, Object message) throws ReflectiveOperationException {
        Envelopes envelopes = ENVELOPES.get(channel.getClass());
        if (!envelopes.envelope.isInstance(message)) {
            return null;
        }
        if (!envelopes.nettys.contains(message.getClass())) {
            throw new IllegalArgumentException("not Netty's own envelope: " + message.getClass().getName());
        }
        Object recipient = envelopes.recipient.get(message);
        if (recipient != null && recipient.getClass() != InetSocketAddress.class) {
            throw new IllegalArgumentException("a recipient of type " + recipient.getClass().getName());
        }
        return (InetSocketAddress) recipient;
    }

    private static final class Envelopes {
        final Class<?> envelope;
        final Set<Class<?>> nettys;
        final Field recipient;

        private Envelopes(Class<?> envelope, Set<Class<?>> nettys, Field recipient) {
            this.envelope = envelope;
            this.nettys = nettys;
            this.recipient = recipient;
        }

        static Envelopes of(Class<?> channel) {
            String name = channel.getName();
            String prefix = null; // a shaded Netty's package prefix
            for (String ring : RING_CHANNELS) {
                if (name.endsWith(ring)) {
                    prefix = name.substring(0, name.length() - ring.length());
                }
            }
            if (prefix == null) {
                throw new IllegalArgumentException("not Netty's io_uring datagram channel: " + name);
            }
            ClassLoader loader = channel.getClassLoader();
            try {
                Set<Class<?>> nettys = new HashSet<>();
                for (String envelope : NETTYS_ENVELOPES) {
                    try {
                        nettys.add(Class.forName(prefix + envelope, false, loader));
                    } catch (ClassNotFoundException absent) {
                        // epoll's packet where the epoll classes are not there: nothing can be written of it
                    }
                }
                Field recipient = field(Class.forName(prefix + "io.netty.channel.DefaultAddressedEnvelope", false, loader), "recipient");
                return new Envelopes(Class.forName(prefix + "io.netty.channel.AddressedEnvelope", false, loader), Set.copyOf(nettys), recipient);
            } catch (ReflectiveOperationException failure) {
                throw new IllegalStateException("Netty's envelopes not found from " + name, failure);
            }
        }
    }

    private static InetSocketAddress recipient(Object packet) throws ReflectiveOperationException, UnknownHostException {
        Class<?> type = packet.getClass();
        if (!type.getName().endsWith("io.netty.channel.epoll.NativeDatagramPacketArray$NativeDatagramPacket")) {
            throw new IllegalArgumentException("not Netty's native datagram packet: " + type.getName());
        }
        int length = field(type, "recipientAddrLen").getInt(packet);
        if (length == 0) {
            return null;
        }
        byte[] address = (byte[]) field(type, "recipientAddr").get(packet);
        if (address == null || length < 0 || length > address.length) {
            throw new IllegalArgumentException("recipient address of " + length + " bytes");
        }
        byte[] bytes = Arrays.copyOf(address, length);
        int port = field(type, "recipientPort").getInt(packet);
        int scope = field(type, "recipientScopeId").getInt(packet);
        return new InetSocketAddress(address(bytes, scope), port);
    }

    /** The JDK reads an IPv4-mapped address as the IPv4 address it is, as the kernel does with it. */
    private static InetAddress address(byte[] bytes, int scope) throws UnknownHostException {
        InetAddress address = InetAddress.getByAddress(bytes);
        return address instanceof Inet6Address && scope != 0 ? Inet6Address.getByAddress(null, bytes, scope) : address;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
