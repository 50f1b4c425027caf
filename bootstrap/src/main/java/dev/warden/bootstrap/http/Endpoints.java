package dev.warden.bootstrap.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The facts of an IP endpoint that something other than a TCP connect is about to reach (a datagram's
 * destination, a connected datagram socket's peer), in the same attributes the {@code net} connect
 * facts use, so that one rule about {@code net.host}, {@code net.port} or {@code address.class} holds
 * for every way out.
 */
final class Endpoints {

    private Endpoints() {
    }

    /** A fact set with {@code net.via} and {@code net.protocol}, sized for what callers add. */
    static Map<String, Object> base(String via, String protocol) {
        Map<String, Object> attributes = new HashMap<>(16);
        attributes.put("net.via", via);
        attributes.put("net.protocol", protocol);
        return attributes;
    }

    /**
     * Adds {@code net.host}, {@code net.port}, {@code net.address} and the address class of
     * {@code endpoint}, and {@code url.error} when it cannot be reached as written.
     *
     * @return the canonical host, the action's target
     */
    static String describe(SocketAddress endpoint, Map<String, Object> attributes) {
        if (!(endpoint instanceof InetSocketAddress)) {
            // Never ask an unknown address type anything (its methods are the host's): its type is the fact.
            String type = endpoint == null ? "null" : endpoint.getClass().getName();
            attributes.put("url.error", "unsupported address type " + type);
            attributes.put("address.class", AddressClass.UNKNOWN.label());
            return "";
        }
        InetSocketAddress inet = (InetSocketAddress) endpoint;
        Host claimed = Host.of(inet.getHostString());
        InetAddress resolved = inet.getAddress();
        // Decided for the address when its name is no answer of the resolver's for it (getByAddress(name, bytes)).
        Host host = ResolvedNames.decidedFor(claimed, resolved);
        if (host != claimed) {
            attributes.put("net.host.claimed", claimed.name());
        }
        int port = inet.getPort();
        attributes.put("net.host", host.name());
        attributes.put("net.port", (long) port);
        if (resolved != null) {
            attributes.put("net.address", resolved.getHostAddress());
        }
        attributes.put("address.class", (resolved != null ? AddressClass.reached(resolved) : host.addressClass()).label());
        String error = claimed.error() != null ? claimed.error() : host.error();
        if (error == null && resolved == null) {
            error = "unresolved address";
        }
        if (error == null && port == 0) {
            error = "port 0";
        }
        if (error != null) {
            attributes.put("url.error", error);
        }
        return host.name();
    }
}
