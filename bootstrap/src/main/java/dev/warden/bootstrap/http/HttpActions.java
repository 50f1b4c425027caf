package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Attachment;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one place every HTTP client's advice goes through: turns the request into rule facts, asks the
 * gate, and answers with the exception the client must fail with (null to let it proceed).
 */
public final class HttpActions {

    public static final String SURFACE = "http";

    /** Rules see this many header names and query keys at most; the counts say how many there were. */
    static final int MAX_NAMES = 64;
    private static final int MAX_NAME_LENGTH = 128;
    private static final int MAX_PATH_LENGTH = 2048;
    private static final Attachment<Boolean> DECIDED_CARRIERS = new Attachment<>();
    /** The request decided for a connection or call that writes it later. */
    private static final Attachment<Written> WRITTEN = new Attachment<>();

    private record Written(OutboundRequest outbound, ActionRequest action) {
    }

    private HttpActions() {
    }

    /**
     * Decides one request (one hop of a redirect chain) in the scope of the client call sending it.
     * A permitted request may make one connect to where it was decided to go ({@link ConnectGrants}).
     *
     * @return the {@link IOException} the client must fail with, or null when the request may proceed
     */
    public static IOException refusalFor(ActionScope scope, OutboundRequest request) {
        RequestShapes.Shaped shaped;
        try {
            shaped = RequestShapes.of(request);
        } catch (Throwable failure) {
            // A request Warden cannot even describe is refused; the gate never saw it, so say why here.
            return refusal(scope.refused(Decision.unreadable("could not describe the HTTP request", failure)));
        }
        Decision decision = scope.decide(shaped.action());
        if (decision.blocks()) {
            return refusal(decision);
        }
        if (!scope.inherited()) {
            grantConnect(request.client(), shaped);
        }
        return null;
    }

    /** Decides a redirect hop a client computed, outside the scope of any call of its own. */
    public static IOException refusalForHop(OutboundRequest request) {
        return refusalForHop(null, request);
    }

    /**
     * Decides a redirect or retry hop, another request on the wire, and remembers it as what
     * {@code carrier} (the call it belongs to, when known) is about to write.
     */
    public static IOException refusalForHop(Object carrier, OutboundRequest request) {
        if (Gate.isInternal()) {
            return null;
        }
        ActionScope scope = ActionScope.enter(SURFACE);
        try {
            IOException refusal = refusalFor(scope, request);
            decidedFor(carrier, scope, request);
            return refusal;
        } finally {
            scope.exit();
        }
    }

    /**
     * Decides the request a client is about to write, when it is not the one decided for
     * {@code carrier} (its connection or call): {@code HttpURLConnection} decides at connect, and a
     * {@code GET} becomes a {@code POST} when the host opens the output stream afterwards; an
     * interceptor rewrites a decided request into another. What reaches the wire is what is decided.
     */
    public static IOException refusalForWrite(Object carrier, OutboundRequest written) {
        if (Gate.isInternal()) {
            return null;
        }
        ActionScope scope = ActionScope.enter(SURFACE);
        try {
            Written decided = WRITTEN.get(carrier);
            RequestShapes.Shaped shaped = RequestShapes.of(written);
            if (decided != null && sameOnTheWire(shaped.action(), decided.action())) {
                return null;
            }
            IOException refusal = refusalFor(scope, written);
            decidedFor(carrier, scope, written);
            return refusal;
        } catch (Throwable failure) {
            return unreadable(scope, failure);
        } finally {
            scope.exit();
        }
    }

    /**
     * {@link #refusalForWrite(Object, OutboundRequest)} for clients that write a request line, not a
     * URL: the destination is the one decided for {@code carrier} (the connection was checked
     * against it at connect); a request no decision covers names none, and is refused.
     */
    public static IOException refusalForWrite(Object carrier, String method, String requestTarget) {
        if (Gate.isInternal()) {
            return null;
        }
        Written decided = WRITTEN.get(carrier);
        OutboundRequest was = decided == null ? null : decided.outbound();
        return refusalForWrite(carrier, OutboundRequest.ofRequestTarget(was == null ? "unknown" : was.client(), method,
                was == null ? null : was.scheme(), was == null ? null : was.host(), was == null ? -1 : was.port(),
                requestTarget, was != null && was.userinfo(), was == null ? java.util.List.of() : was.headerNames(),
                was == null ? -1L : was.bodySize(), was != null && was.redirect()));
    }

    /** Remembers what was decided for {@code carrier}, when permitted, to check what it writes later. */
    public static void decidedFor(Object carrier, ActionScope scope, OutboundRequest outbound) {
        Decision decision = scope.decision();
        if (carrier != null && decision != null && !decision.blocks() && scope.request() != null) {
            WRITTEN.set(carrier, new Written(outbound, scope.request()));
        }
    }

    /** The refusal of a redirect hop the advice could not read. */
    public static IOException unreadableHop(Throwable failure) {
        ActionScope scope = ActionScope.enter(SURFACE);
        try {
            return refusal(scope.refused(Decision.unreadable("could not read the request", failure)));
        } finally {
            scope.exit();
        }
    }

    /**
     * Whether two requests put the same method, URL and body size on the wire. Header names and the
     * redirect flag aside: clients add their own headers (Host, User-Agent) between decision and write.
     */
    private static boolean sameOnTheWire(ActionRequest written, ActionRequest decided) {
        if (decided == null) {
            return false;
        }
        for (String part : new String[] {"url.scheme", "url.port", "url.path", "url.query.keys", "url.userinfo", "http.body.size"}) {
            if (!java.util.Objects.equals(written.attribute(part), decided.attribute(part))) {
                return false;
            }
        }
        return java.util.Objects.equals(written.operation(), decided.operation())
                && java.util.Objects.equals(written.target(), decided.target());
    }

    private static void grantConnect(String client, RequestShapes.Shaped shaped) {
        Host host = shaped.host();
        int port = shaped.port();
        if (host.valid() && port > 0 && port <= 65535) {
            ConnectGrants.grant(client, host, port);
        }
    }

    /**
     * The refusal of a request the advice could not even read (a client's object threw at us): it is
     * refused, fail-closed, rather than sent undecided. Built here, not in the advice, because advice
     * is inlined into class files as old as Java 6, where string concatenation cannot be compiled in.
     */
    public static IOException unreadable(ActionScope scope, Throwable failure) {
        return refusal(scope.refused(Decision.unreadable("could not read the HTTP request", failure)));
    }

    /**
     * The exception a refused request or connect fails with: the decision's message, the denial as
     * its cause. A {@link NoRouteToHostException}, an {@link IOException} that means what happened
     * (something between the host and the destination would not let it through), and the one type
     * the common clients' retry layers all leave alone: Apache's retry strategies give up on it, the
     * JDK client retries {@code ConnectException}s but not this. A retry would only be refused again,
     * and write another receipt.
     */
    public static IOException refusal(Decision decision) {
        NoRouteToHostException refused = new NoRouteToHostException(decision.denialMessage());
        refused.initCause(new ActionDeniedException(decision));
        return refused;
    }

    /**
     * Whether {@code carrier} (a connection object that follows its own redirects) was decided
     * before: then this request is a hop of an earlier one. Records that it now has been.
     */
    public static boolean isFollowUp(Object carrier) {
        boolean seen = DECIDED_CARRIERS.get(carrier) != null;
        if (!seen) {
            DECIDED_CARRIERS.set(carrier, Boolean.TRUE);
        }
        return seen;
    }

    static Map<String, Object> attributes(OutboundRequest request, Host host, int port) {
        Map<String, Object> attributes = new HashMap<>(24);
        attributes.put("http.client", String.valueOf(request.client()));
        attributes.put("http.method", method(request.method()));
        attributes.put("url.scheme", request.scheme() == null ? "" : request.scheme().toLowerCase(Locale.ROOT));
        attributes.put("url.host", host.name());
        attributes.put("url.port", (long) port);
        attributes.put("url.path", bounded(request.path() == null || request.path().isEmpty() ? "/" : request.path(), MAX_PATH_LENGTH));
        attributes.put("url.userinfo", request.userinfo());
        attributes.put("http.redirect", request.redirect());
        putAddressClass(attributes, host.addressClass());
        attributes.put("address.literal", host.ipLiteral());
        List<String> queryKeys = queryKeys(request.query());
        attributes.put("url.query.keys", queryKeys);
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
        return attributes;
    }

    static void putAddressClass(Map<String, Object> attributes, AddressClass addressClass) {
        attributes.put("address.class", addressClass.label());
        attributes.put("address.loopback", addressClass == AddressClass.LOOPBACK);
        attributes.put("address.private", addressClass == AddressClass.PRIVATE);
        attributes.put("address.linkLocal", addressClass == AddressClass.LINK_LOCAL);
    }

    static int port(String scheme, int port) {
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

    static String method(String method) {
        return method == null ? "GET" : bounded(method.toUpperCase(Locale.ROOT), MAX_NAME_LENGTH);
    }

    /** Keys only, in order of appearance, without duplicates; values never leave this method. */
    static List<String> queryKeys(String query) {
        if (query == null || query.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        int start = 0;
        while (start <= query.length() && keys.size() < MAX_NAMES) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            int equals = query.indexOf('=', start);
            String key = query.substring(start, equals >= 0 && equals < end ? equals : end);
            if (!key.isEmpty() && !keys.contains(key)) {
                keys.add(bounded(key, MAX_NAME_LENGTH));
            }
            start = end + 1;
        }
        return List.copyOf(keys);
    }

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

    private static String bounded(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
