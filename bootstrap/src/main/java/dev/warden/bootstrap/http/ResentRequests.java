package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionScope;

import java.util.List;

/**
 * The JDK's {@code HttpURLConnection} sends a request again, once, over a new connection when the first one failed
 * before an answer came (the server closed it, or a kept-alive connection had gone stale): {@code HttpClient.parseHTTP}
 * and {@code HttpURLConnection.writeRequests} reopen the connection themselves and write the same request. That
 * connect is the decided request's, to where it was decided to go, so it gets the request's one connect again
 * ({@link ConnectGrants}): without it, the resend was decided on its own under {@code net} and refused by any policy
 * that permits the request but no raw connects, so a permitted request failed whenever its server dropped a
 * connection (a full accept backlog under load).
 * <p>
 * The JDK's {@code HttpClient} does the same with a request whose connection closed before the answer, or whose
 * connect failed: it runs the same request again ({@link #resending(OutboundRequest)}).
 * <p>
 * The grant is given only while the thread sends or reads the answer of a connection whose request was permitted
 * ({@link HttpActions#permittedFor(Object)}), only outside the decided connect itself (granted when it was decided),
 * only where the JDK resends ({@link #reconnecting()}: each of its two resend points resends once), and, as every
 * grant, only the JDK client's code can take it and only to that host and port: a raw socket to the same destination
 * is still decided. Before, any connection the JDK opened while the request was sent got it: a {@code 305 Use Proxy}
 * pointing back at the permitted server looped twenty connections on one receipt.
 */
public final class ResentRequests {

    /** The connection whose request this thread is sending or reading the answer of. */
    private static final ThreadLocal<Object> SENDING = new ThreadLocal<>();
    /** Who calls: the advice is inlined into the JDK's own method, so a grant is given only when that is the caller. */
    private static final StackWalker CALLERS = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private ResentRequests() {
    }

    /** This thread now works for {@code connection}; returns what it worked for before, for {@link #done(Object)}. */
    public static Object sending(Object connection) {
        Object before = SENDING.get();
        SENDING.set(connection);
        return before;
    }

    public static void done(Object before) {
        if (before == null) {
            SENDING.remove();
        } else {
            SENDING.set(before);
        }
    }

    /**
     * A client runs a request it already ran again, unchanged: one more connect to where it goes, if a decision
     * granted that destination to that client within the grants' lifetime. Public, because advice inlined into the
     * JDK's {@code MultiExchange} calls it, so host code can call it too: called from anywhere else it grants nothing.
     * Only the client's own code can take the grant, to that host and port, as the first; a connect the net surface
     * refused (a name that now resolves inside) is refused again.
     */
    public static void resending(OutboundRequest request) {
        resending(request, CALLERS.getCallerClass());
    }

    static void resending(OutboundRequest request, Class<?> caller) {
        if (isJdk(caller, "java.net.http", "jdk.internal.net.http.MultiExchange")) {
            HttpActions.regrantConnect(request);
        }
    }

    /**
     * The JDK client is about to open a connection for the request this thread sends. Only the JDK's two resends of
     * that request get its connect again: {@code HttpClient.parseHTTP} reopening the same server when the answer never
     * came, and {@code HttpURLConnection.writeRequests} opening a new client to the same URL when the write failed.
     * Everything else that opens a connection outside {@code plainConnect0} while the request is sent gets nothing and
     * is decided under {@code net}: following a {@code 305 Use Proxy} (refused before, {@link ServerNamedProxies}), a
     * tunnel's proxy-authentication retry, and host code calling this public method.
     */
    public static void reconnecting() {
        // Every new connection passes here: the stack is looked at only for a resend.
        if (ActionScope.innermostDecided(HttpActions.SURFACE) == null && SENDING.get() != null) {
            reconnecting(CALLERS.walk(frames -> frames
                    .dropWhile(frame -> frame.getDeclaringClass() == ResentRequests.class)
                    .limit(MAX_SITES)
                    .map(frame -> new Site(frame.getDeclaringClass(), frame.getMethodName()))
                    .toList()));
        }
    }

    /** @param callers the method the advice is inlined into (the JDK's {@code HttpClient.openServer()}), then its callers */
    static void reconnecting(List<Site> callers) {
        if (ActionScope.innermostDecided(HttpActions.SURFACE) != null) {
            return; // the request's own connect, granted when it was decided
        }
        Object connection = SENDING.get();
        OutboundRequest decided = connection == null ? null : HttpActions.permittedFor(connection);
        if (decided != null && isResend(callers)) {
            HttpActions.grantConnect(decided);
        }
    }

    /** A method on the stack: its declaring class (checked to be the JDK's own) and name. */
    record Site(Class<?> type, String method) {
    }

    /** Frames looked at above {@code openServer}: a resend builds its client within about eight. */
    private static final int MAX_SITES = 16;

    /**
     * Whether {@code openServer()} was called by one of the JDK's resends: the first caller that is not the JDK
     * building a client ({@code HttpClient.New}, its constructor, the connection's {@code setNewClient}...).
     */
    static boolean isResend(List<Site> callers) {
        if (callers.isEmpty() || !isJdk(callers.get(0), "sun.net.www.http.HttpClient", "openServer")) {
            return false;
        }
        for (Site caller : callers.subList(1, callers.size())) {
            if (isBuildingAClient(caller)) {
                continue;
            }
            return isJdk(caller, "sun.net.www.http.HttpClient", "parseHTTP")
                    || isJdk(caller, "sun.net.www.http.HttpClient", "parseHTTPHeader")
                    || isJdk(caller, "sun.net.www.protocol.http.HttpURLConnection", "writeRequests");
        }
        return false;
    }

    private static boolean isBuildingAClient(Site caller) {
        switch (caller.method()) {
            case "<init>":
            case "New":
                return isJdk(caller, "sun.net.www.http.HttpClient", caller.method())
                        || isJdk(caller, "sun.net.www.protocol.https.HttpsClient", caller.method());
            case "setNewClient":
            case "setProxiedClient":
            case "proxiedConnect":
                return isJdk(caller, "sun.net.www.protocol.http.HttpURLConnection", caller.method())
                        || isJdk(caller, "sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection", caller.method());
            default:
                return false;
        }
    }

    private static boolean isJdk(Site site, String className, String method) {
        return site.method().equals(method) && isJdk(site.type(), "java.base", className);
    }

    /**
     * Whether {@code caller} is the JDK's own class of that name: in its named module of the boot layer, where no
     * code of the host's can define a class (a class of the same name in a loader of the host's is in no named
     * module).
     */
    private static boolean isJdk(Class<?> caller, String module, String className) {
        Module home = caller.getModule();
        return caller.getName().equals(className) && home.isNamed() && module.equals(home.getName())
                && home.getLayer() == ModuleLayer.boot();
    }
}
