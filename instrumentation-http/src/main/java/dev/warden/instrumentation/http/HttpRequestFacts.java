package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.Host;
import dev.warden.bootstrap.http.OutboundRequest;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The facts rules see of an HTTP request, from the raw parts its client's advice read: the host in
 * its one canonical spelling, the port the scheme implies, names but never values (query keys,
 * header names), everything bounded. Made in the engine, once per distinct request.
 *
 * @param operation  the method, upper-cased
 * @param target     the canonical host
 * @param attributes the facts
 */
record HttpRequestFacts(String operation, String target, Map<String, Object> attributes) {

    /** Rules see this many header names and query keys at most; the counts say how many there were. */
    static final int MAX_NAMES = 64;
    static final int MAX_NAME_LENGTH = 128;
    private static final int MAX_PATH_LENGTH = 2048;

    static HttpRequestFacts of(OutboundRequest request) {
        Host host = Host.of(request.host());
        int port = request.effectivePort();
        String method = method(request.method());
        Map<String, Object> attributes = new HashMap<>(32);
        attributes.put("http.client", String.valueOf(request.client()));
        attributes.put("http.method", method);
        attributes.put("url.scheme", request.scheme() == null ? "" : request.scheme().toLowerCase(Locale.ROOT));
        attributes.put("url.host", host.name());
        attributes.put("url.port", (long) port);
        String path = request.path() == null || request.path().isEmpty() ? "/" : request.path();
        attributes.put("url.path", bounded(path, MAX_PATH_LENGTH));
        // Normalised before it is bounded: a cut could end in the middle of a ".." or a percent-encoding.
        String normalized = UrlPaths.normalize(path);
        attributes.put("url.path.normalized", bounded(normalized, MAX_PATH_LENGTH));
        // A server that resolves the path serves the normalised one, a server that does not the raw one: a rule on
        // either reading alone can be stepped around, so that the two differ is a fact of its own.
        attributes.put("url.path.ambiguous", !normalized.equals(path));
        attributes.put("url.userinfo", request.userinfo());
        attributes.put("http.redirect", request.redirect());
        attributes.put("address.class", host.addressClass().label());
        attributes.put("address.literal", host.ipLiteral());
        QueryKeys query = QueryKeys.of(request.query());
        attributes.put("url.query.keys", query.keys());
        attributes.put("url.query.count", (long) query.count());
        Collection<String> headerNames = request.headerNames();
        attributes.put("http.header.names", headerNames(headerNames));
        attributes.put("http.header.count", (long) headerNames.size());
        if (request.bodySize() >= 0) {
            attributes.put("http.body.size", request.bodySize());
        }
        String error = host.error();
        if (error == null && (port <= 0 || port > 65535)) {
            error = "port " + (port == Integer.MAX_VALUE ? "unparseable" : Integer.toString(port)) + " out of range";
        }
        if (error == null && request.scheme() == null) {
            error = "no scheme";
        }
        if (error != null) {
            attributes.put("url.error", error);
        }
        return new HttpRequestFacts(method, host.name(), attributes);
    }

    /** The request target as sent: the whole raw path ({@code /} when empty), then {@code ?} and the raw query if any. */
    static String requestTarget(OutboundRequest request) {
        String path = request.path() == null || request.path().isEmpty() ? "/" : request.path();
        return request.query() == null ? path : path + "?" + request.query();
    }

    static String method(String method) {
        return method == null ? "GET" : bounded(method.toUpperCase(Locale.ROOT), MAX_NAME_LENGTH);
    }

    /** Lower-cased, sorted, without duplicates, at most {@link #MAX_NAMES}. */
    static List<String> headerNames(Collection<String> names) {
        TreeSet<String> lower = new TreeSet<>();
        for (String name : names) {
            if (name != null) {
                lower.add(bounded(name.toLowerCase(Locale.ROOT), MAX_NAME_LENGTH));
                if (lower.size() >= MAX_NAMES) {
                    break;
                }
            }
        }
        return List.copyOf(lower);
    }

    static String bounded(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
