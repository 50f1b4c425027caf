package dev.warden.bootstrap.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Where an address leads, as egress rules care about it. Anything that is not {@link #PUBLIC} stays
 * inside the host, its network or its cloud: the classic targets of server-side request forgery.
 */
public enum AddressClass {
    /**
     * 127.0.0.0/8, ::1, and the unspecified 0.0.0.0/8 and :: (connecting to them reaches this host); for an address
     * connected or sent to, also any of this machine's own ({@link #reached}).
     */
    LOOPBACK("loopback"),
    /** RFC 1918, carrier-grade NAT 100.64.0.0/10, unique-local fc00::/7, multicast and reserved ranges. */
    PRIVATE("private"),
    /** 169.254.0.0/16 and fe80::/10: cloud metadata endpoints live here. */
    LINK_LOCAL("link-local"),
    PUBLIC("public"),
    /** The host could not be understood; such a request is refused by the rules, never guessed at. */
    UNKNOWN("unknown");

    private final String label;

    AddressClass(String label) {
        this.label = label;
    }

    /** The name rules see in {@code address.class}. */
    public String label() {
        return label;
    }

    public boolean isPublic() {
        return this == PUBLIC;
    }

    public static AddressClass of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return ofIpv4(address.getAddress());
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(address.getAddress());
        }
        return UNKNOWN;
    }

    /**
     * Where a connect or datagram to {@code address} leads: {@link #LOOPBACK} when it is one of this machine's own
     * addresses ({@link LocalAddresses}), whatever range it is in, since it reaches this host as 127.0.0.1 does; else
     * its class. A public address an interface holds was public here until a thirteenth review (2026-12-08), and a
     * "public" name DNS pointed at it connected on its request's grant, to the services this host listens with.
     */
    public static AddressClass reached(InetAddress address) {
        AddressClass range = of(address);
        return (range == PUBLIC || range == PRIVATE) && LocalAddresses.isLocal(address) ? LOOPBACK : range;
    }

    static AddressClass ofIpv4(byte[] address) {
        int a = address[0] & 0xff;
        int b = address[1] & 0xff;
        if (a == 127 || a == 0) {
            return LOOPBACK;
        }
        if (a == 169 && b == 254) {
            return LINK_LOCAL;
        }
        if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) || (a == 100 && b >= 64 && b <= 127)
                || a >= 224) {
            return PRIVATE;
        }
        return PUBLIC;
    }

    static AddressClass ofIpv6(byte[] address) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= address[i] == 0;
        }
        if (firstTenZero && (address[10] & 0xff) == 0xff && (address[11] & 0xff) == 0xff) {
            return ofIpv4(tail(address, 12)); // IPv4-mapped ::ffff:a.b.c.d
        }
        if (firstTenZero && address[10] == 0 && address[11] == 0) {
            boolean allZero = true;
            for (int i = 12; i < 15; i++) {
                allZero &= address[i] == 0;
            }
            if (allZero && (address[15] == 0 || address[15] == 1)) {
                return LOOPBACK; // :: and ::1
            }
            return ofIpv4(tail(address, 12)); // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks)
        }
        int first = address[0] & 0xff;
        int second = address[1] & 0xff;
        if (first == 0x00 && second == 0x64 && (address[2] & 0xff) == 0xff && (address[3] & 0xff) == 0x9b) {
            return ofIpv4(tail(address, 12)); // NAT64 64:ff9b::/96 translates to the embedded IPv4 address
        }
        if (first == 0x20 && second == 0x02) {
            return ofIpv4(new byte[] {address[2], address[3], address[4], address[5]}); // 6to4 2002::/16
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        if ((first & 0xfe) == 0xfc || first == 0xff) {
            return PRIVATE;
        }
        return PUBLIC;
    }

    private static byte[] tail(byte[] address, int from) {
        return new byte[] {address[from], address[from + 1], address[from + 2], address[from + 3]};
    }
}
