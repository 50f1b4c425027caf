package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Attachment;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The one place every HTTP client's advice goes through: asks the gate about the request as the
 * client holds it, binds a permitted request's one connect, checks that what is written is what was
 * decided (and refuses a head that frames another body, {@link MessageFraming}), and answers with the
 * exception the client must fail with (null to let it proceed). The
 * facts rules see are the {@code http} enricher's, made in the engine once per distinct request.
 */
public final class HttpActions {

    public static final String SURFACE = "http";

    private static final Attachment<Boolean> DECIDED_CARRIERS = new Attachment<>();
    /** The request decided for a connection or call that writes it later, with the header values it bound. */
    private static final Attachment<Decided> WRITTEN = new Attachment<>();
    /**
     * The digest of the header values each decided action bound ({@link RequestHeaders}), by the action object: read
     * back only for the action a scope was decided for, so no caller can say another request's headers were decided.
     */
    private static final Attachment<String> BOUND_HEADERS = new Attachment<>();

    private HttpActions() {
    }

    /**
     * Decides one request (one hop of a redirect chain) in the scope of the client call sending it.
     * A permitted request may make one connect to where it was decided to go ({@link ConnectGrants}).
     *
     * @return the {@link IOException} the client must fail with, or null when the request may proceed
     */
    public static IOException refusalFor(ActionScope scope, OutboundRequest request) {
        return refusalFor(scope, request, null, null);
    }

    /**
     * {@link #refusalFor(ActionScope, OutboundRequest)} of a request with a body.
     *
     * @param carrier the client's request object, when the client's method for it calls another for
     *                the same object (the JDK's {@code send} calls {@code sendAsync}): one decision,
     *                and the body is read once
     * @param body    the client's body object (see {@link RequestBodies#binding}), or null
     */
    public static IOException refusalFor(ActionScope scope, OutboundRequest request, Object carrier, Object body) {
        return refusalFor(scope, request, carrier, body, null);
    }

    /**
     * {@link #refusalFor(ActionScope, OutboundRequest, Object, Object)} of a request whose header values are bound too.
     *
     * @param headers the digest of the headers the application set ({@link RequestHeaders#digest}), or null for none:
     *                bound with the body, so that the approval of {@code X-Amount: 5} never sends another amount
     */
    public static IOException refusalFor(ActionScope scope, OutboundRequest request, Object carrier, Object body,
                                         String headers) {
        String line = RequestLines.mismatch(request.method(), request.path(), request.query());
        if (line != null) {
            return refusal(scope.refused(Decision.failClosed("the request line is not the one it is written as ("
                    + line + ")", null)));
        }
        String binding = scope.continues(carrier) ? null
                : RequestHeaders.binding(RequestBodies.binding(body, request.bodySize()), headers);
        ActionRequest action = request.action(binding);
        if (headers != null) {
            BOUND_HEADERS.set(action, headers);
        }
        Decision decision = scope.decide(action, carrier);
        if (decision.blocks()) {
            return refusal(decision);
        }
        if (!scope.inherited()) {
            grantConnect(request);
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
        return refusalForHop(carrier, request, null);
    }

    /** {@link #refusalForHop(Object, OutboundRequest)} of a hop that sends {@code body} (a 307 or 308 resends it). */
    public static IOException refusalForHop(Object carrier, OutboundRequest request, Object body) {
        return refusalForHop(carrier, request, body, null);
    }

    /** {@link #refusalForHop(Object, OutboundRequest, Object)} of a hop whose header values are bound too ({@link RequestHeaders}). */
    public static IOException refusalForHop(Object carrier, OutboundRequest request, Object body, String headers) {
        if (Gate.isInternal()) {
            return null;
        }
        ActionScope scope = ActionScope.enter(SURFACE);
        try {
            IOException refusal = refusalFor(scope, request, null, body, headers);
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
        return refusalForWrite(carrier, written, null);
    }

    /**
     * {@link #refusalForWrite(Object, OutboundRequest)} of a request written with {@code body}, read
     * only when the request is decided again.
     */
    public static IOException refusalForWrite(Object carrier, OutboundRequest written, Object body) {
        return refusalForWrite(carrier, written, body, null);
    }

    /**
     * {@link #refusalForWrite(Object, OutboundRequest, Object)} of a request whose header lines are read where they
     * are written: the values of the headers that were decided must be the ones written (an application's interceptor
     * that set another {@code X-Amount} after the decision, a cookie store's cookies added to the application's
     * {@code Cookie}), and a request decided again binds the values it writes, so that its approval covers those alone.
     * Headers the client adds under names the decision did not see ({@code Host}, {@code User-Agent}) are not compared.
     *
     * @param headerLines a name, its value, the next name...: every header line about to be written, or null where the
     *                    client's head is not read (header values then neither compared nor bound)
     */
    public static IOException refusalForWrite(Object carrier, OutboundRequest written, Object body, List<String> headerLines) {
        return refusalForWrite(carrier, written, body, headerLines, List.of());
    }

    /**
     * {@link #refusalForWrite(Object, OutboundRequest, Object, List)} comparing {@code alsoCompared} too, decided or
     * not: the names under which a client writes what a handler of the host's chose after the decision
     * ({@code HttpURLConnection}'s {@code Cookie} from a {@code CookieHandler}, {@code Authorization} from the
     * credentials an {@code Authenticator} gave), so that a written value no decision saw is decided as written.
     */
    public static IOException refusalForWrite(Object carrier, OutboundRequest written, Object body, List<String> headerLines,
                                              Collection<String> alsoCompared) {
        if (Gate.isInternal()) {
            return null;
        }
        IOException otherHost = refusalOfAskedHost(written, headerLines);
        if (otherHost == null) {
            otherHost = refusalOfAbsoluteTarget(written);
        }
        if (otherHost != null) {
            return otherHost;
        }
        ActionScope scope = ActionScope.enter(SURFACE);
        try {
            Decided was = WRITTEN.get(carrier);
            if (was != null && sameOnTheWire(written, was.request())
                    && (headerLines == null || Objects.equals(RequestHeaders.digest(headerLines, compared(was.request(), alsoCompared)), was.headers()))) {
                return null;
            }
            IOException refusal = refusalFor(scope, written, null, body, headerLines == null ? null : RequestHeaders.digest(headerLines));
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
     * against it at connect), or the one a request line in absolute form names (as a client writes
     * it to a plain HTTP proxy); a request no decision covers otherwise names none, and is refused.
     */
    public static IOException refusalForWrite(Object carrier, String method, String requestTarget) {
        return refusalForWrite(carrier, method, requestTarget, null);
    }

    /** {@link #refusalForWrite(Object, String, String)} of a request written with {@code body}. */
    public static IOException refusalForWrite(Object carrier, String method, String requestTarget, Object body) {
        return refusalForWrite(carrier, method, requestTarget, body, null);
    }

    /** {@link #refusalForWrite(Object, String, String, Object)} of a request whose written header lines are read ({@link #refusalForWrite(Object, OutboundRequest, Object, List)}). */
    public static IOException refusalForWrite(Object carrier, String method, String requestTarget, Object body, List<String> headerLines) {
        if (Gate.isInternal()) {
            return null;
        }
        OutboundRequest was = permittedFor(carrier);
        String client = was == null ? "unknown" : was.client();
        Collection<String> headerNames = headerLines != null ? namesOf(headerLines) : was == null ? null : was.headerNames();
        long bodySize = was == null ? -1L : was.bodySize();
        boolean redirect = was != null && was.redirect();
        OutboundRequest written;
        if (absoluteForm(requestTarget)) {
            try {
                written = OutboundRequest.of(client, method, URI.create(requestTarget), headerNames, bodySize, redirect);
            } catch (IllegalArgumentException unparseable) {
                return unreadableHop(unparseable);
            }
        } else {
            written = OutboundRequest.ofRequestTarget(client, method, was == null ? null : was.scheme(),
                    was == null ? null : was.host(), was == null ? -1 : was.port(), requestTarget,
                    was != null && was.userinfo(), headerNames, bodySize, redirect);
        }
        return refusalForWrite(carrier, written, body, headerLines);
    }

    /** The header names a write is compared on: those decided, and {@code alsoCompared}. */
    private static Collection<String> compared(OutboundRequest decided, Collection<String> alsoCompared) {
        if (alsoCompared.isEmpty()) {
            return decided.headerNames();
        }
        List<String> names = new ArrayList<>(alsoCompared);
        if (decided.headerNames() != null) {
            names.addAll(decided.headerNames());
        }
        return names;
    }

    private static List<String> namesOf(List<String> headerLines) {
        List<String> names = new ArrayList<>(headerLines.size() / 2);
        for (int i = 0; i < headerLines.size(); i += 2) {
            names.add(headerLines.get(i));
        }
        return names;
    }

    /**
     * {@link #refusalForWrite(Object, String, String, Object)} of a client that asks the server for a host of its own
     * choosing in the {@code Host} header, whatever the connection: Apache HttpClient 4 sends
     * {@code execute(target, new HttpGet("http://other/x"))} to {@code target} with {@code Host: other}. The server is
     * asked for what no decision named (a virtual host, a proxy's next hop), so a request that asks for another host
     * or port than the one decided for {@code carrier}, and connected to, is refused, with a receipt.
     *
     * @param askedScheme the scheme of the URI the host comes from (its default port), or null
     * @param askedHost   the host the request asks for, or null when it asks for the connection's
     * @param askedPort   its port, or -1 for the scheme's default (the decided port when there is no scheme)
     */
    public static IOException refusalForWrite(Object carrier, String method, String requestTarget, String askedScheme,
                                              String askedHost, int askedPort, Object body) {
        return refusalForWrite(carrier, method, requestTarget, askedScheme, askedHost, askedPort, body, null);
    }

    /** {@link #refusalForWrite(Object, String, String, String, String, int, Object)} of a request whose written header lines are read. */
    public static IOException refusalForWrite(Object carrier, String method, String requestTarget, String askedScheme,
                                              String askedHost, int askedPort, Object body, List<String> headerLines) {
        if (Gate.isInternal()) {
            return null;
        }
        OutboundRequest was = permittedFor(carrier);
        if (was != null && askedHost != null) {
            int port = askedPort != -1 ? askedPort : askedScheme == null ? was.effectivePort()
                    : new OutboundRequest(was.client(), method, askedScheme, askedHost, -1, null, null, false, null, -1L, false)
                    .effectivePort();
            if (!sameHost(askedHost, was.host()) || port != was.effectivePort()) {
                return refusalOfAnotherHost(Host.of(askedHost).name() + ":" + port,
                        Host.of(was.host()).name() + ":" + was.effectivePort());
            }
        }
        return refusalForWrite(carrier, method, requestTarget, body, headerLines);
    }

    /**
     * The refusal of a request written on the connection its route opened to the host decided for {@code carrier},
     * whose own authority (its {@code Host}) asks that server for another host or port: Apache HttpClient 5 sends
     * {@code execute(target, new HttpGet("http://other/x"))} to {@code target} with {@code Host: other}, as Apache 4 does
     * ({@link #refusalForWrite(Object, String, String, String, String, int, Object, List)}). Decided again as written,
     * it was recorded as a request to {@code other} until a thirteenth review (2026-12-08). Null when no decision was made
     * for this object (a handler's own request, or the copy for a proxy, decided as written) or it asks for that host.
     */
    public static IOException refusalOfAnotherAuthority(Object carrier, OutboundRequest written) {
        if (Gate.isInternal()) {
            return null;
        }
        OutboundRequest was = permittedFor(carrier);
        if (was == null || written.host() == null) {
            return null;
        }
        if (!sameHost(written.host(), was.host()) || written.effectivePort() != was.effectivePort()) {
            return refusalOfAnotherHost(Host.of(written.host()).name() + ":" + written.effectivePort(),
                    Host.of(was.host()).name() + ":" + was.effectivePort());
        }
        return null;
    }

    /**
     * The refusal of a head whose {@code Host} asks its server for another host or port than the request is written to
     * (and decided for), or has more than one ({@link AskedHosts}). Null when the head has none (the client adds its
     * own) or asks for that host.
     */
    private static IOException refusalOfAskedHost(OutboundRequest written, List<String> headerLines) {
        return headerLines == null ? null : refusalOfAskedHostIn(written, AskedHosts.valuesIn(headerLines));
    }

    /**
     * {@link #refusalOfAskedHost(OutboundRequest, List)} where a client's own {@code Host} values are read rather than
     * its head ({@code HttpURLConnection}'s and the JDK client's, which an application sets only where
     * {@code allowRestrictedHeaders} lets it: a system property the host's code can set itself), refused fail-closed
     * with a receipt.
     *
     * @param asked the request's {@code Host} values, in order
     */
    public static IOException refusalOfAskedHostIn(OutboundRequest written, List<String> asked) {
        if (Gate.isInternal()) {
            return null;
        }
        String mismatch = AskedHosts.mismatch(written, asked);
        return mismatch == null ? null : refusalAsWritten(mismatch);
    }

    /** {@link #refusalOfAskedHostIn(OutboundRequest, List)} in the scope of the client call deciding the request (the JDK's {@code send}). */
    public static IOException refusalOfAskedHostIn(ActionScope scope, OutboundRequest written, List<String> asked) {
        String mismatch = AskedHosts.mismatch(written, asked);
        return mismatch == null ? null : refusal(scope.refused(Decision.failClosed(mismatch, null)));
    }

    /**
     * The refusal of a request whose request target is in absolute form ({@code GET http://other/x}) and names another
     * host or port than the request is written to: Apache HttpClient 5 writes an application's raw path as given
     * ({@code new BasicClassicHttpRequest("GET", target, "http://other/x")}), and a server that honours absolute form
     * (RFC 9112 §3.2.2: it must, and then ignores {@code Host}) serves {@code other}. The copy a client makes for a
     * plain HTTP proxy names the request's own host, and passes. Null when the target is no absolute form.
     */
    private static IOException refusalOfAbsoluteTarget(OutboundRequest written) {
        if (!absoluteForm(written.path())) {
            return null;
        }
        OutboundRequest named;
        try {
            named = OutboundRequest.of(written.client(), written.method(), URI.create(written.path()), null, -1L, false);
        } catch (IllegalArgumentException unparseable) {
            return unreadableHop(unparseable);
        }
        if (named.host() == null || !sameHost(named.host(), written.host()) || named.effectivePort() != written.effectivePort()) {
            return refusalAsWritten("the request's target in absolute form asks its server for "
                    + (named.host() == null ? "no host" : Host.of(named.host()).name()) + ":" + named.effectivePort() + ", not for "
                    + Host.of(written.host()).name() + ":" + written.effectivePort()
                    + " where it was decided to go and connects: no decision covers that");
        }
        return null;
    }

    private static IOException refusalOfAnotherHost(String asked, String decided) {
        return refusalAsWritten(AskedHosts.anotherHost(asked, decided));
    }

    /**
     * The refusal of a request about to be written whose head does not frame the body the client writes after it
     * ({@link MessageFraming}): the server would read the rest of the connection, the next pooled request included, in
     * other places than the client wrote them, and find requests there that no decision saw. Refused fail-closed,
     * whatever the policy, with a receipt; null when {@code mismatch} is (the framing is the body's).
     */
    public static IOException refusalOfFraming(String mismatch) {
        if (mismatch == null || Gate.isInternal()) {
            return null;
        }
        return refusalAsWritten(framingReason(mismatch));
    }

    /** {@link #refusalOfFraming(String)} in the scope of the client call deciding the request (the JDK's {@code send}). */
    public static IOException refusalOfFraming(ActionScope scope, String mismatch) {
        return mismatch == null ? null : refusal(scope.refused(Decision.failClosed(framingReason(mismatch), null)));
    }

    private static String framingReason(String mismatch) {
        return "the request's head does not frame the body the client writes (" + mismatch
                + "): a server would take the rest of the connection for requests no decision saw";
    }

    private static IOException refusalAsWritten(String reason) {
        ActionScope scope = ActionScope.enter(SURFACE);
        try {
            return refusal(scope.refused(Decision.failClosed(reason, null)));
        } finally {
            scope.exit();
        }
    }

    /** {@code scheme://authority/...}: a request target that names its destination. */
    private static boolean absoluteForm(String requestTarget) {
        int separator = requestTarget == null ? -1 : requestTarget.indexOf("://");
        return separator > 0 && requestTarget.lastIndexOf('/', separator) < 0;
    }

    /**
     * Remembers what was decided for {@code carrier}, when permitted, to check what it writes later. Only the request
     * the scope was decided for: host code calls this too, and must not make another request pass for a decided one.
     */
    public static void decidedFor(Object carrier, ActionScope scope, OutboundRequest outbound) {
        Decision decision = scope.decision();
        if (carrier != null && decision != null && !decision.blocks() && scope.request() != null
                && outbound != null && outbound.equals(scope.request().attribute(OutboundRequest.ATTRIBUTE))) {
            WRITTEN.set(carrier, new Decided(outbound, BOUND_HEADERS.get(scope.request())));
        }
    }

    /** A request decided for a carrier, and the digest of the header values its decision bound (null: none). */
    private record Decided(OutboundRequest request, String headers) {
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
     * Whether a written request puts on the wire what was decided: the same method, scheme, host,
     * port, path, query, userinfo flag and body size (compared as the client gave them, after the
     * normalisation that says where a request goes). Header names and the redirect flag aside:
     * clients add their own headers (Host, User-Agent) between decision and write.
     */
    private static boolean sameOnTheWire(OutboundRequest written, OutboundRequest decided) {
        return decided != null
                && sameIgnoringCase(written.method() == null ? "GET" : written.method(), decided.method() == null ? "GET" : decided.method())
                && sameIgnoringCase(written.scheme(), decided.scheme())
                && sameHost(written.host(), decided.host())
                && written.effectivePort() == decided.effectivePort()
                && pathOf(written).equals(pathOf(decided))
                && Objects.equals(emptyToNull(written.query()), emptyToNull(decided.query()))
                && written.userinfo() == decided.userinfo()
                && Math.max(written.bodySize(), -1L) == Math.max(decided.bodySize(), -1L);
    }

    private static boolean sameIgnoringCase(String a, String b) {
        return a == null ? b == null : a.equalsIgnoreCase(b);
    }

    static boolean sameHost(String a, String b) {
        return sameIgnoringCase(a, b) || (a != null && b != null && Host.of(a).name().equals(Host.of(b).name()));
    }

    /** An empty path is the root, as a client writes it. */
    private static String pathOf(OutboundRequest request) {
        String path = request.path();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static String emptyToNull(String query) {
        return query == null || query.isEmpty() ? null : query;
    }

    /** The request last decided and permitted for {@code carrier}, or null. */
    static OutboundRequest permittedFor(Object carrier) {
        Decided decided = WRITTEN.get(carrier);
        return decided == null ? null : decided.request();
    }

    /** One more connect for a request whose destination a decision granted recently ({@link ConnectGrants#regrant}). */
    static void regrantConnect(OutboundRequest request) {
        bindGrant(request, false);
    }

    /** A grant that cannot be bound is not given: the connect is then decided on its own, never waved through. */
    static void grantConnect(OutboundRequest request) {
        bindGrant(request, true);
    }

    private static void bindGrant(OutboundRequest request, boolean fresh) {
        try {
            Host host = Host.of(request.host());
            int port = request.effectivePort();
            if (host.valid() && port > 0 && port <= 65535) {
                if (fresh) {
                    ConnectGrants.grant(request.client(), host, port);
                } else {
                    ConnectGrants.regrant(request.client(), host, port);
                }
            }
        } catch (RuntimeException unbindable) {
            // no grant
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
}
