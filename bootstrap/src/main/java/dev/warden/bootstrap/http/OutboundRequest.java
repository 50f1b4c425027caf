package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionRequest;

import java.net.URI;
import java.net.URL;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as a client library is about to send it, in the client's own parse of the URL:
 * the host it will connect to is the host that is decided, however the URL was written. These raw
 * parts are what the gate is asked about ({@link #action()}); the {@code http} enricher turns them
 * into the facts rules see, so that no describing runs in the boot loader. Immutable, compared by
 * value: an identical request sent again is the same action, described once by the engine.
 *
 * @param client      which client sends it, e.g. {@code jdk-httpclient}
 * @param method      the request method as given
 * @param scheme      {@code http}, {@code https}, ...
 * @param host        the host as the client parsed it (unnormalised; {@link Host} normalises)
 * @param port        the port, or -1 for the scheme's default
 * @param path        the raw path, may be null
 * @param query       the raw query, may be null; only its keys reach rules and receipts
 * @param userinfo    whether the URL carried {@code user@} (never its value)
 * @param headerNames the request's header names (never their values), copied
 * @param bodySize    the body's length when known, else -1
 * @param redirect    whether this request is a redirect hop of an earlier one
 */
public record OutboundRequest(String client, String method, String scheme, String host, int port, String path,
                              String query, boolean userinfo, Collection<String> headerNames, long bodySize,
                              boolean redirect) {

    /** The one attribute of an {@code http} {@link ActionRequest}: this request. */
    public static final String ATTRIBUTE = "http.request";

    public OutboundRequest {
        // A copy: the gate keys its caches on it, and must not hold (or call) the client's own collection.
        headerNames = headerNames == null || headerNames.isEmpty() ? List.of()
                : Collections.unmodifiableList(Arrays.asList(headerNames.toArray(new String[0])));
    }

    /** What the gate is asked: the raw request; describing it is the engine's work. */
    public ActionRequest action() {
        return action(null);
    }

    /**
     * @param body what the body binds ({@link RequestBodies#binding}), or null: in the action digest,
     *             not in what the engine derives once per distinct request
     */
    public ActionRequest action(String body) {
        return new ActionRequest(HttpActions.SURFACE, null, null, Map.of(ATTRIBUTE, this), body);
    }

    /** The port connected to: as given, else the scheme's default; -1 when neither says. */
    public int effectivePort() {
        if (port != -1) {
            return port;
        }
        String lower = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "https":
            case "wss":
                return 443;
            case "http":
            case "ws":
                return 80;
            default:
                return -1;
        }
    }

    /** Without the query's values, which must not reach a log or an error message. */
    @Override
    public String toString() {
        return "OutboundRequest[client=" + client + ", method=" + method + ", scheme=" + scheme + ", host=" + host
                + ", port=" + port + ", path=" + path + ", query=" + (query == null ? "none" : query.length() + " chars")
                + ", userinfo=" + userinfo + ", headerNames=" + headerNames + ", bodySize=" + bodySize
                + ", redirect=" + redirect + "]";
    }

    public static OutboundRequest of(String client, String method, URI uri, Collection<String> headerNames,
                                     long bodySize, boolean redirect) {
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null && uri.getRawAuthority() != null) {
            // A registry-based authority (non-ASCII or otherwise unusual host): take it apart ourselves.
            String authority = uri.getRawAuthority();
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = authority.lastIndexOf(':');
            if (colon > authority.lastIndexOf(']')) {
                port = parsePort(authority.substring(colon + 1));
                authority = authority.substring(0, colon);
            }
            host = authority;
        }
        return new OutboundRequest(client, method, uri.getScheme(), host, port, uri.getRawPath(), uri.getRawQuery(),
                uri.getRawUserInfo() != null, headerNames, bodySize, redirect);
    }

    public static OutboundRequest of(String client, String method, URL url, Collection<String> headerNames,
                                     long bodySize, boolean redirect) {
        return new OutboundRequest(client, method, url.getProtocol(), url.getHost(), url.getPort(), url.getPath(),
                url.getQuery(), url.getUserInfo() != null, headerNames, bodySize, redirect);
    }

    /**
     * A request whose path and query come as one request target ({@code /v1/x?page=2}), as clients
     * that hold the request line rather than a URL (Apache HttpClient 5) give them.
     */
    public static OutboundRequest ofRequestTarget(String client, String method, String scheme, String host, int port,
                                                  String requestTarget, boolean userinfo, Collection<String> headerNames,
                                                  long bodySize, boolean redirect) {
        int question = requestTarget == null ? -1 : requestTarget.indexOf('?');
        String path = question < 0 ? requestTarget : requestTarget.substring(0, question);
        String query = question < 0 ? null : requestTarget.substring(question + 1);
        return new OutboundRequest(client, method, scheme, host, port, path, query, userinfo, headerNames, bodySize, redirect);
    }

    private static int parsePort(String digits) {
        try {
            return digits.isEmpty() ? -1 : Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // out of range: reported as such
        }
    }
}
