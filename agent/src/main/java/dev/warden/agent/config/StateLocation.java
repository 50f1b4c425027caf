package dev.warden.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the shared state store is: {@code redis://host:port[/db]}. Credentials are refused in the
 * address: it is printed on Warden's log and named in refusals, so it must hold no secret.
 *
 * @param database the Redis logical database, 0 unless the path names another
 */
public record StateLocation(String host, int port, int database) {

    public static final int DEFAULT_PORT = 6379;

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static StateLocation parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an address: " + e.getMessage());
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("redis") || uri.isOpaque()) {
            throw new IllegalArgumentException("the scheme must be redis://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("credentials do not belong in the address");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("no query or fragment is understood");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int database = 0;
        if (!path.isEmpty() && !path.equals("/")) {
            if (!path.matches("/[0-9]{1,4}")) {
                throw new IllegalArgumentException("the path must be a database number, like /0");
            }
            database = Integer.parseInt(path.substring(1));
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new StateLocation(host, port, database);
    }

    /** {@code redis://127.0.0.1:6379}, with {@code /db} when it is not 0: for the log and for reasons. */
    public String describe() {
        String host = this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host;
        return "redis://" + host + ":" + port + (database == 0 ? "" : "/" + database);
    }
}
