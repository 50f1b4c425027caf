package dev.warden.bootstrap.http;

import java.util.List;

/**
 * The header lines {@code HttpURLConnection} writes from the host's handlers after its request was decided (at
 * connect): {@code HttpURLConnection.writeRequests} asks the default {@code CookieHandler} for the request's
 * {@code Cookie} (and {@code Cookie2}) and adds the {@code Authorization} the JDK cached from an earlier answer of the
 * host's {@code Authenticator} to the same server. Both handlers are the host's code, so the values are the host's
 * choice: the decision saw neither, and an approval bound to the request's header values did not cover them. Where the
 * connection writes its head these names are compared with what was decided, and a head that writes other values is
 * decided again as written ({@link HttpActions#refusalForWrite(Object, OutboundRequest, Object, List,
 * java.util.Collection)}). The connection is known there only through this thread: the JDK's {@code HttpClient}
 * writes the head it is handed. The JDK {@code HttpClient}'s own filters do the same ({@link FilteredRequests}).
 */
public final class HandlerHeaders {

    /** The names a handler of the host's fills in after the decision. */
    public static final List<String> NAMES = List.of("Cookie", "Cookie2", "Authorization");

    /** The connection whose request this thread is writing ({@code HttpURLConnection.writeRequests}). */
    private static final ThreadLocal<Object> WRITING = new ThreadLocal<>();

    private HandlerHeaders() {
    }

    /** This thread now writes the request of {@code connection}; returns what it wrote before, for {@link #done}. */
    public static Object writing(Object connection) {
        Object before = WRITING.get();
        WRITING.set(connection);
        return before;
    }

    public static void done(Object before) {
        if (before == null) {
            WRITING.remove();
        } else {
            WRITING.set(before);
        }
    }

    /** The connection whose request this thread writes, or null (a tunnel's {@code CONNECT}, written on its own). */
    static Object writingFor() {
        return WRITING.get();
    }
}
