package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionScope;

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
 * and, as every grant, only the JDK client's code can take it and only to that host and port: a raw socket to the
 * same destination is still decided.
 */
public final class ResentRequests {

    /** The connection whose request this thread is sending or reading the answer of. */
    private static final ThreadLocal<Object> SENDING = new ThreadLocal<>();

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
     * granted that destination to that client within the grants' lifetime. This is public (advice inlined into the
     * JDK calls it), so host code can call it too: it never grants a destination no decision permitted. Only the
     * client's own code can take the grant, to that host and port, as the first; a connect the net surface refused
     * (a name that now resolves inside) is refused again.
     */
    public static void resending(OutboundRequest request) {
        HttpActions.regrantConnect(request);
    }

    /**
     * The JDK client is about to open a connection for the request this thread sends. Host code that calls this
     * gains nothing: the grant is for a request a decision permitted, to where it goes.
     */
    public static void reconnecting() {
        if (ActionScope.innermostDecided(HttpActions.SURFACE) != null) {
            return; // the request's own connect, granted when it was decided
        }
        Object connection = SENDING.get();
        OutboundRequest decided = connection == null ? null : HttpActions.permittedFor(connection);
        if (decided != null) {
            HttpActions.grantConnect(decided);
        }
    }
}
