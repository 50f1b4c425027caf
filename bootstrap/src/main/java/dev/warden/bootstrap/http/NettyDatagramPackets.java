package dev.warden.bootstrap.http;

import java.lang.reflect.Field;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the datagrams of one {@code sendmmsg} of Netty's epoll transport go: the native call reads each packet's
 * recipient from Netty's {@code NativeDatagramPacketArray$NativeDatagramPacket} ({@code recipientAddr}, always 16
 * bytes, an IPv4 address in its IPv4-mapped form, with {@code recipientAddrLen}, {@code recipientScopeId} and
 * {@code recipientPort}), so these fields are read here, and nothing of the packet's is called. A packet whose
 * {@code recipientAddrLen} is 0 goes to the connected peer, whose connect was decided. Any other shape (a Netty that
 * lays its packets out otherwise) is a failure to read, which the caller refuses.
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
