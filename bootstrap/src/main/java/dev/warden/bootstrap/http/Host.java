package dev.warden.bootstrap.http;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A destination host in the one spelling rules match on, whatever spelling the request used.
 * Sees through the classic SSRF disguises: decimal, hex and shortened IPv4 forms
 * ({@code 2130706433}, {@code 0x7f000001}, {@code 127.1}), IPv4-mapped and
 * -compatible IPv6, brackets, trailing dots, mixed case, and internationalised names (to punycode,
 * after the compatibility mapping that turns full-width digits and dots into ASCII ones).
 * A part written with a leading zero is octal to {@code inet_aton} and to browsers, and decimal to the JDK, which
 * every client in the JVM connects through ({@code 0127.0.0.1} is 127.0.0.1 there, {@code 010.0.0.1} is 10.0.0.1):
 * where the two readings differ the host is refused as ambiguous, never decided as one of them.
 * <p>
 * Parsing never resolves a name: a name's class is what its spelling says ({@code localhost} is
 * loopback, anything else presumed public); what it resolves to is checked when the socket connects.
 *
 * @param name         the canonical host: dotted IPv4, full-form IPv6 without brackets, or a lower-case
 *                     ASCII name without trailing dot; for an invalid host, a printable rendering of it
 * @param ipLiteral    whether the host is an address rather than a name
 * @param addressClass where the host leads as far as its spelling tells
 * @param error        why the host is invalid, or null
 */
public record Host(String name, boolean ipLiteral, AddressClass addressClass, String error) {

    private static final int MAX_CACHED = 4096;
    private static final int MAX_NAME_LENGTH = 253;
    private static final ConcurrentHashMap<String, Host> CACHE = new ConcurrentHashMap<>();

    /** The canonical form of {@code raw}; computed once per distinct spelling (bounded cache). */
    public static Host of(String raw) {
        if (raw == null) {
            return invalid("", "no host");
        }
        Host cached = CACHE.get(raw);
        if (cached != null) {
            return cached;
        }
        Host parsed = parse(raw);
        if (CACHE.size() >= MAX_CACHED) {
            CACHE.clear(); // a flood of distinct hosts costs re-parsing, never unbounded memory
        }
        CACHE.put(raw, parsed);
        return parsed;
    }

    public boolean valid() {
        return error == null;
    }

    private static Host parse(String raw) {
        String host = raw;
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                return invalid(raw, "unbalanced brackets in host");
            }
            return ipv6(raw, host.substring(1, host.length() - 1));
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(raw, host);
        }
        if (!isAscii(host)) {
            try {
                host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return invalid(raw, "not a valid internationalised host name");
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        int end = host.length();
        while (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        host = host.substring(0, end);
        if (host.isEmpty()) {
            return invalid(raw, "empty host");
        }
        if (host.length() > MAX_NAME_LENGTH) {
            return invalid(raw, "host name longer than 253 characters");
        }
        String[] labels = host.split("\\.", -1);
        if (allNumeric(labels)) {
            return ipv4(raw, labels);
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                return invalid(raw, "empty or over-long label in host name");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return invalid(raw, "invalid character in host name");
                }
            }
        }
        return new Host(host, false, classOfName(host), null);
    }

    /** Names whose spelling alone says they stay local: RFC 6761 localhost, and private-use suffixes. */
    private static AddressClass classOfName(String name) {
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return AddressClass.LOOPBACK;
        }
        if (name.endsWith(".internal") || name.endsWith(".local") || name.endsWith(".home.arpa")) {
            return AddressClass.PRIVATE;
        }
        return AddressClass.PUBLIC;
    }

    /** Each label decimal or 0x-hex (or with a leading zero, which {@link #ipv4} refuses where it is ambiguous). */
    private static boolean allNumeric(String[] labels) {
        for (String label : labels) {
            if (label.isEmpty()) {
                return false;
            }
            String digits = label.startsWith("0x") ? label.substring(2) : label;
            int radix = label.startsWith("0x") ? 16 : 10;
            for (int i = 0; i < digits.length(); i++) {
                if (Character.digit(digits.charAt(i), radix) < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Host ipv4(String raw, String[] labels) {
        if (labels.length > 4) {
            return invalid(raw, "more than four parts in an IPv4 address");
        }
        long[] parts = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            try {
                if (label.startsWith("0x")) {
                    parts[i] = label.length() == 2 ? 0 : Long.parseLong(label.substring(2), 16);
                } else if (label.length() > 1 && label.startsWith("0")) {
                    parts[i] = Long.parseLong(label);
                    if (!label.chars().allMatch(c -> c < '8') || Long.parseLong(label, 8) != parts[i]) {
                        return invalid(raw, "IPv4 address part with a leading zero, octal to some readers and decimal to the JDK");
                    }
                } else {
                    parts[i] = Long.parseLong(label);
                }
            } catch (NumberFormatException e) {
                return invalid(raw, "IPv4 address part out of range");
            }
        }
        // a.b.c.d, a.b.c16, a.b24, a32: the last part fills the remaining bytes.
        long value = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i] > 255) {
                return invalid(raw, "IPv4 address part out of range");
            }
            value |= parts[i] << (8 * (3 - i));
        }
        long last = parts[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            return invalid(raw, "IPv4 address out of range");
        }
        value |= last;
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        String dotted = (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        return new Host(dotted, true, AddressClass.ofIpv4(bytes), null);
    }

    private static Host ipv6(String raw, String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            // hex, colons, an embedded dotted IPv4 tail, and a zone id after '%'
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%' || c >= 'g' && c <= 'z'
                    || c >= 'G' && c <= 'Z' || c == '_' || c == '-')) {
                return invalid(raw, "invalid character in IPv6 address");
            }
        }
        if (literal.indexOf(':') < 0) {
            return invalid(raw, "bracketed host is not an IPv6 address");
        }
        try {
            // A bracketed literal is parsed as an address and never looked up in DNS.
            InetAddress address = InetAddress.getByName("[" + literal + "]");
            String name = address instanceof Inet4Address ? address.getHostAddress() : address.getHostAddress().toLowerCase(Locale.ROOT);
            return new Host(name, true, AddressClass.of(address), null);
        } catch (UnknownHostException | RuntimeException e) {
            return invalid(raw, "invalid IPv6 address");
        }
    }

    private static Host invalid(String raw, String why) {
        return new Host(printable(raw), false, AddressClass.UNKNOWN, why);
    }

    /** What a receipt may show of an invalid host: bounded, with control characters escaped. */
    static String printable(String raw) {
        StringBuilder out = new StringBuilder(Math.min(raw.length(), 256));
        for (int i = 0; i < raw.length() && out.length() < 256; i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
