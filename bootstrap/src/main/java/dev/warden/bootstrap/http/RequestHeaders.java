package dev.warden.bootstrap.http;

import dev.warden.bootstrap.Bindings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an HTTP request's header values bind in its action digest, beside its body ({@link RequestBodies}): rules and
 * receipts see the header names alone, so a request whose meaning is in a header value ({@code X-Amount: 5}) must
 * bind the value, or its approval runs the request with {@code X-Amount: 500000} (docs/RECEIPTS.md, "Request
 * headers").
 * <p>
 * The headers are the ones the application set, as the client holds them when the request is decided (the clients add
 * their own, {@code Host} or {@code User-Agent}, afterwards). Header names are case-insensitive and the order of
 * different names means nothing (RFC 9110 §5.3), the order of one name's values does: the digest is over the names
 * lower-cased, sorted, each name's values in the order given, so that {@code X-Amount} and {@code x-amount} are one
 * approval. The headers a tracing agent adds to every request, each request its own ({@code traceparent},
 * {@code tracestate}, {@code baggage}, B3, Jaeger, X-Ray, OpenTracing, Cloud Trace, SkyWalking), are left out:
 * an approval must survive an OpenTelemetry agent beside Warden, and a value that differs on every request would make
 * every request a new action.
 */
public final class RequestHeaders {

    /** Propagation headers, by exact lower-case name. */
    private static final Set<String> TRACING = Set.of("traceparent", "tracestate", "baggage", "b3", "uber-trace-id",
            "x-amzn-trace-id", "x-cloud-trace-context", "grpc-trace-bin", "sw8", "sw8-correlation", "sw8-x",
            "elastic-apm-traceparent", "x-ot-span-context");
    /** Propagation headers, by lower-case prefix: B3's multi-header form, Jaeger's and OpenTracing's baggage. */
    private static final List<String> TRACING_PREFIXES = List.of("x-b3-", "uberctx-", "ot-tracer-", "ot-baggage-");

    private RequestHeaders() {
    }

    /**
     * @param namesAndValues a name, its value, the next name, its value...: every header line the application set,
     *                       in the order given (a value may be null: a line without one)
     * @return the headers' digest, 64 lowercase hex digits, or null when no header is bound
     */
    public static String digest(List<String> namesAndValues) {
        return digest(namesAndValues, null);
    }

    /**
     * {@link #digest(List)} of the lines whose name is one of {@code names} (case-insensitive): the headers a decision
     * saw, read again as they are written, beside those the client added since under other names.
     *
     * @param names the names kept, or null for every line
     */
    public static String digest(List<String> namesAndValues, Collection<String> names) {
        Set<String> kept = null;
        if (names != null) {
            kept = new HashSet<>();
            for (String name : names) {
                kept.add(name.toLowerCase(Locale.ROOT));
            }
        }
        if (namesAndValues.size() % 2 != 0) {
            throw new IllegalArgumentException("a header name without its value");
        }
        List<Line> lines = new ArrayList<>(namesAndValues.size() / 2);
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            String name = namesAndValues.get(i);
            if (name == null) {
                throw new IllegalArgumentException("a header without a name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!isTracing(lower) && (kept == null || kept.contains(lower))) {
                lines.add(new Line(lower, namesAndValues.get(i + 1)));
            }
        }
        if (lines.isEmpty()) {
            return null;
        }
        lines.sort((a, b) -> a.name.compareTo(b.name)); // stable: one name's values keep their order
        MessageDigest sha = Bindings.sha256();
        for (Line line : lines) {
            field(sha, line.name);
            field(sha, line.value);
        }
        return Bindings.hexDigest(sha);
    }

    /** {@link #digest(List)} of a client's map of each name to its values in order (the JDK client's, OkHttp's). */
    public static String digest(Map<String, ? extends List<String>> headers) {
        return digest(lines(headers));
    }

    /** A client's map of each name to its values in order, as a name, its value, the next name... */
    public static List<String> lines(Map<String, ? extends List<String>> headers) {
        List<String> namesAndValues = new ArrayList<>();
        for (Map.Entry<String, ? extends List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                namesAndValues.add(header.getKey());
                namesAndValues.add(value);
            }
        }
        return namesAndValues;
    }

    /**
     * What the request binds in its action digest: its body's binding alone when no header is bound (the digest a
     * request had before headers were), else the SHA-256 of the two, each as a netstring, so that the approval of one
     * body with one set of header values covers neither another body nor other values.
     *
     * @param body    the body's binding ({@link RequestBodies#binding}), or null without a body
     * @param headers {@link #digest}, or null
     */
    public static String binding(String body, String headers) {
        if (headers == null) {
            return body;
        }
        MessageDigest sha = Bindings.sha256();
        field(sha, body == null ? "" : body);
        field(sha, headers);
        return Bindings.hexDigest(sha);
    }

    /** Whether {@code lowerName} is a header a tracing agent sets on every request, each its own. */
    static boolean isTracing(String lowerName) {
        if (TRACING.contains(lowerName)) {
            return true;
        }
        for (String prefix : TRACING_PREFIXES) {
            if (lowerName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The decimal number of UTF-16 code units, {@code :}, the code units big-endian: every string is its own field
     * (an unpaired surrogate too, which an encoding to UTF-8 would replace); a missing value is {@code -:}, which no
     * length is.
     */
    private static void field(MessageDigest sha, String value) {
        if (value == null) {
            sha.update((byte) '-');
            sha.update((byte) ':');
            return;
        }
        sha.update(Integer.toString(value.length()).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            sha.update((byte) (c >> 8));
            sha.update((byte) c);
        }
    }

    private record Line(String name, String value) {
    }
}
