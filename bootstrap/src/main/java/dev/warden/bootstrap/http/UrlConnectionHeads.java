package dev.warden.bootstrap.http;

import dev.warden.bootstrap.Gate;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The head {@code HttpURLConnection} hands its connection to write ({@code sun.net.www.http.HttpClient.writeRequests}):
 * a {@code sun.net.www.MessageHeader}, the JDK's own class, which the agent exports to Warden's bootstrap classes.
 * Its two framing headers are read there, after the connection has set its own ({@code Content-Length} of what was
 * posted, or of a fixed-length stream; {@code Transfer-Encoding: chunked} of a chunked stream): with
 * {@code sun.net.http.allowRestrictedHeaders} the application's own are written too, and a {@code Content-Length} it
 * set on a bodiless {@code GET} is written as given ({@link MessageFraming}).
 */
public final class UrlConnectionHeads {

    private static volatile Method valuesOf;
    /** {@code MessageHeader.getKey(int)} and {@code getValue(int)}. */
    private static volatile Method[] lines;
    /** More lines than any head a server accepts: a head that claims more is not read to its end. */
    private static final int MAX_LINES = 10_000;

    private UrlConnectionHeads() {
    }

    /**
     * The refusal of a head that does not frame the body written after it ({@link #refusalOfFraming}), or that asks
     * its server for another host than {@code url}'s ({@link AskedHosts}: with {@code allowRestrictedHeaders}, which
     * the host's code can set itself, the application's {@code Host} is written as given), or null.
     *
     * @param url the URL the connection was opened for (and the request decided for)
     */
    public static IOException refusalOf(Object head, URL url, long posted, boolean streaming) {
        IOException refusal = refusalOfFraming(head, posted, streaming);
        if (refusal != null || Gate.isInternal()) {
            return refusal;
        }
        List<String> asked;
        OutboundRequest written;
        try {
            asked = values(head, "Host");
            written = OutboundRequest.of("http-url-connection", "GET", url, null, -1L, false);
        } catch (ReflectiveOperationException | RuntimeException unreadable) { // not written undecided
            return HttpActions.unreadableHop(unreadable);
        }
        refusal = HttpActions.refusalOfAskedHostIn(written, asked);
        return refusal != null ? refusal : refusalOfHandlersValues(head, url);
    }

    /**
     * The refusal of a head whose {@code Cookie} or {@code Authorization} a handler of the host's filled in after the
     * decision with values it did not see, when the request decided again as written is refused ({@link HandlerHeaders}).
     */
    private static IOException refusalOfHandlersValues(Object head, URL url) {
        Object connection = HandlerHeaders.writingFor();
        if (!(connection instanceof java.net.HttpURLConnection)) {
            return null; // not a request's head (a tunnel's CONNECT)
        }
        java.net.HttpURLConnection writing = (java.net.HttpURLConnection) connection;
        OutboundRequest written;
        List<String> headerLines;
        try {
            headerLines = lines(head);
            written = OutboundRequest.of("http-url-connection", writing.getRequestMethod(), url, names(head), -1L, false);
        } catch (ReflectiveOperationException | RuntimeException unreadable) { // not written undecided
            return HttpActions.unreadableHop(unreadable);
        }
        return HttpActions.refusalForWrite(connection, written,
                writing.getDoOutput() ? RequestBodies.WRITTEN_AFTER_DECISION : null, headerLines, HandlerHeaders.NAMES);
    }

    /**
     * The refusal of a head that does not frame the body written after it, or null.
     *
     * @param head      the {@code MessageHeader} about to be written
     * @param posted    the size of the body the connection buffered and writes after the head, or -1 for none
     * @param streaming whether the application streams the body itself, in the framing the connection's head states
     */
    public static IOException refusalOfFraming(Object head, long posted, boolean streaming) {
        if (Gate.isInternal()) {
            return null;
        }
        String mismatch;
        try {
            long body = streaming ? MessageFraming.AS_THE_HEAD_SAYS : MessageFraming.body(posted >= 0, posted);
            mismatch = MessageFraming.ofHead(names(head), values(head, "Content-Length"), values(head, "Transfer-Encoding"), body);
        } catch (ReflectiveOperationException | RuntimeException unreadable) { // not written undecided
            return HttpActions.unreadableHop(unreadable);
        }
        return HttpActions.refusalOfFraming(mismatch);
    }

    /**
     * The digest of every header line of {@code head} ({@link RequestHeaders#digest}): the connection's
     * {@code requests}, which holds the application's headers until the connection adds its own when it writes them
     * (the {@code Authorization} that {@code getRequestProperties()} hides included). A line without a value whose
     * "name" has a space is the request line a redirect hop keeps there, no header ({@link RequestProperties}).
     */
    public static String headersDigest(Object head) throws ReflectiveOperationException {
        return RequestHeaders.digest(lines(head));
    }

    /**
     * The names of every header line of {@code head}, in order, the request line left out: the connection's
     * {@code requests} where the request is decided, {@code Authorization} included, which {@code getRequestProperties()}
     * hides (a rule on {@code http.header.names} saw no credentials there, the application's or an authenticator's).
     */
    public static List<String> names(Object head) throws ReflectiveOperationException {
        List<String> namesAndValues = lines(head);
        List<String> names = new ArrayList<>(namesAndValues.size() / 2);
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            names.add(namesAndValues.get(i));
        }
        return names;
    }

    /**
     * Every header line of {@code head} as a name, its value, the next name...: the request line left out (see
     * {@link #headersDigest}). A request's head holds no line without a name (only a response's status line is one).
     */
    private static List<String> lines(Object head) throws ReflectiveOperationException {
        Method[] methods = lines;
        if (methods == null || methods[0].getDeclaringClass() != head.getClass()) {
            methods = new Method[]{head.getClass().getMethod("getKey", int.class), head.getClass().getMethod("getValue", int.class)};
            lines = methods;
        }
        List<String> namesAndValues = new ArrayList<>();
        synchronized (head) { // the JDK's own lock of the head: no line is added while it is read
            for (int i = 0; i < MAX_LINES; i++) {
                String name = (String) methods[0].invoke(head, i);
                String value = (String) methods[1].invoke(head, i);
                if (name == null && value == null) {
                    return namesAndValues; // past the last line
                }
                if (name == null || (value == null && name.indexOf(' ') >= 0)) {
                    continue;
                }
                namesAndValues.add(name);
                namesAndValues.add(value);
            }
        }
        throw new IllegalStateException("more than " + MAX_LINES + " header lines");
    }

    /** Every value of the header {@code name} (case-insensitive), in order; the others are not read. */
    static List<String> values(Object head, String name) throws ReflectiveOperationException {
        Method method = valuesOf;
        if (method == null || method.getDeclaringClass() != head.getClass()) {
            method = head.getClass().getMethod("multiValueIterator", String.class);
            valuesOf = method;
        }
        List<String> values = new ArrayList<>(1);
        for (Iterator<?> each = (Iterator<?>) method.invoke(head, name); each.hasNext(); ) {
            values.add(String.valueOf(each.next()));
        }
        return values;
    }
}
