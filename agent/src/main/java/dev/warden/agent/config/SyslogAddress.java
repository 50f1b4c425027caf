package dev.warden.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where {@code siem=syslog://HOST:PORT} (UDP) or {@code siem=syslog+tcp://HOST:PORT} (TCP) sends the
 * SIEM stream. The port is required: syslog receivers listen on 514, 601 or anything else, and a
 * guessed port would send the decisions somewhere nobody reads.
 *
 * @param host a name or an address; IPv6 without its brackets
 */
public record SyslogAddress(Transport transport, String host, int port) {

    public enum Transport {
        UDP("syslog"), TCP("syslog+tcp");

        private final String scheme;

        Transport(String scheme) {
            this.scheme = scheme;
        }
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static SyslogAddress parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an address: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Transport transport = scheme.equals(Transport.UDP.scheme) ? Transport.UDP
                : scheme.equals(Transport.TCP.scheme) ? Transport.TCP : null;
        if (transport == null || uri.isOpaque()) {
            throw new IllegalArgumentException("the scheme must be syslog:// or syslog+tcp://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("credentials do not belong in the address");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host (or not a valid host name)");
        }
        if (uri.getPort() == -1) {
            throw new IllegalArgumentException("no port");
        }
        if (uri.getPort() < 1 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException("port " + uri.getPort() + " is out of range");
        }
        if (!(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("no path, query or fragment is understood");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new SyslogAddress(transport, host, uri.getPort());
    }

    /** {@code syslog+tcp://127.0.0.1:601}: for Warden's log. */
    public String describe() {
        return transport.scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
