package dev.warden.bootstrap.http;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * This machine's own addresses. A connect or datagram to one of them reaches this host, as one to 127.0.0.1 does,
 * whatever range the address is in: the public IPv4 address or global IPv6 address an interface holds, the private one
 * a cloud gives it, and the broadcast address of an interface's network, where a datagram reaches this host besides the
 * others on its link. Services listening on all addresses ({@code 0.0.0.0}, {@code ::}) answer there, and a firewall
 * that keeps other machines from them does not stand between a process and its own host.
 * <p>
 * The interfaces are read again when the list read last is more than a second old, so an address that comes up later
 * (DHCP, IPv6 autoconfiguration) counts once it is up. A list that cannot be read is a failure the caller refuses on.
 */
final class LocalAddresses {

    private static final long FRESH_NANOS = 1_000_000_000L;

    private record Snapshot(Set<ByteBuffer> addresses, long takenAtNanos) {
    }

    private static volatile Snapshot snapshot;

    private LocalAddresses() {
    }

    /** Whether {@code address}, or the IPv4 address it maps ({@code ::ffff:a.b.c.d}), is one of this machine's. */
    static boolean isLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        Set<ByteBuffer> local = current();
        if (local.contains(ByteBuffer.wrap(bytes))) {
            return true;
        }
        // A dual-stack socket connects ::ffff:a.b.c.d to a.b.c.d.
        return mapsIpv4(bytes) && local.contains(ByteBuffer.wrap(bytes, 12, 4).slice());
    }

    private static boolean mapsIpv4(byte[] bytes) {
        if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Set<ByteBuffer> current() {
        Snapshot taken = snapshot;
        long now = System.nanoTime();
        if (taken != null && now - taken.takenAtNanos() < FRESH_NANOS) {
            return taken.addresses();
        }
        Set<ByteBuffer> addresses = new HashSet<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress address : network.getInterfaceAddresses()) {
                    addresses.add(ByteBuffer.wrap(address.getAddress().getAddress()));
                    if (address.getBroadcast() != null) { // a datagram there reaches this host too (DatagramSocket broadcasts by default)
                        addresses.add(ByteBuffer.wrap(address.getBroadcast().getAddress()));
                    }
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException("could not list this machine's addresses", e);
        }
        Set<ByteBuffer> read = Set.copyOf(addresses);
        snapshot = new Snapshot(read, now);
        return read;
    }
}
