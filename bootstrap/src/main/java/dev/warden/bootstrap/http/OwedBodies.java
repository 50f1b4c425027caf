package dev.warden.bootstrap.http;

import dev.warden.bootstrap.Attachment;

/**
 * Connections whose last request head promised a body the client then never wrote. Apache HttpClient 4 writes a
 * request that carries {@code Expect: 100-continue} head first and waits; when the server answers with a final status
 * instead of {@code 100 Continue}, it skips the body and still hands the connection back to its pool, whatever the
 * head declared. A server that answered early and then reads the body it was promised (RFC 9110 §10.1.1 lets it go on
 * reading; nginx discards a body so) takes the start of the next request on that connection for that body, and the
 * rest, a header value of the application's, for a request of its own that no decision saw. So a head written after
 * one whose body never followed is refused, with a receipt: the client drops the connection (Apache 4's retry handler
 * leaves the refusal alone), and nothing more is written on it.
 * <p>
 * Only whether a body is owed is kept, by the connection object, weakly: nothing of the request.
 */
public final class OwedBodies {

    private static final Attachment<Boolean> OWING = new Attachment<>();

    private OwedBodies() {
    }

    /** Why {@code connection} may not carry another head (it owes the body of the one before), or null. */
    public static String owedBy(Object connection) {
        return OWING.isEmpty() || OWING.get(connection) == null ? null
                : "the request before it on this connection declared a body the client never wrote"
                + " (its Expect: 100-continue was answered early), which the server reads from this head";
    }

    /** A head was written on {@code connection}: it owes a body from now until {@link #settled} when one follows. */
    public static void headWritten(Object connection, boolean bodyFollows) {
        if (bodyFollows) {
            OWING.set(connection, Boolean.TRUE);
        } else if (!OWING.isEmpty()) {
            OWING.remove(connection);
        }
    }

    /** The body the last head on {@code connection} declared was written, or the connection was bound to a new socket. */
    public static void settled(Object connection) {
        if (!OWING.isEmpty()) {
            OWING.remove(connection);
        }
    }
}
