package dev.warden.bootstrap.http;

import java.util.List;

/**
 * Whether a request's head says where its body ends the way the client writes that body. A server reads a request's
 * body by its {@code Content-Length} or {@code Transfer-Encoding}, then takes what follows on the connection for the
 * next request: a head that declares more than the client writes (an application's {@code Content-Length: 36} on a
 * bodiless {@code GET}, which OkHttp and Apache HttpClient 4 write as given) makes the server take the start of the
 * next pooled request for this one's body and read the rest, a header value of the application's, as a request of
 * its own that no decision saw; a body written with no framing at all is read as requests. So the head must frame
 * exactly the body that follows it: at most one {@code Content-Length}, of digits only, equal to the body's length
 * (or zero with no body); a {@code Transfer-Encoding} only as the client's own single {@code chunked} on a body whose
 * length it does not know; never both.
 * <p>
 * Only the values of these two headers are read, and their counts; a refusal names a length only when it is a number.
 */
public final class MessageFraming {

    /** No body follows the head. */
    public static final long NO_BODY = -2L;
    /** A body whose length the client does not know up front, which it sends chunked, with its own {@code Transfer-Encoding}. */
    public static final long UNKNOWN_LENGTH = -1L;
    /**
     * A body the client writes as its own head frames it, whose length it keeps elsewhere ({@code HttpURLConnection}'s
     * streaming modes, which set the one {@code Content-Length} or {@code Transfer-Encoding: chunked} themselves).
     */
    public static final long AS_THE_HEAD_SAYS = -3L;

    private static final String CHUNKED = "chunked";
    /** 18 digits: any longer length cannot be a body's, and parsing it could overflow. */
    private static final int MAX_DIGITS = 18;

    private MessageFraming() {
    }

    /**
     * The body a client writes after the head: {@link #NO_BODY} when there is none, else its length, or
     * {@link #UNKNOWN_LENGTH} when that is negative (not known up front).
     */
    public static long body(boolean present, long length) {
        return !present ? NO_BODY : length < 0 ? UNKNOWN_LENGTH : length;
    }

    /**
     * The head as the connection writes it, for a client that frames the body as its head says (OkHttp, Apache
     * HttpClient 4 and 5 classic, {@code HttpURLConnection}'s connection): why it does not frame {@code body}, or null.
     *
     * @param lengths   how many {@code Content-Length} headers the head has; {@code length} the first one's value
     * @param encodings how many {@code Transfer-Encoding} headers; {@code encoding} the first one's value
     * @param body      {@link #NO_BODY}, {@link #UNKNOWN_LENGTH}, {@link #AS_THE_HEAD_SAYS} or the body's length
     */
    public static String ofHead(int lengths, String length, int encodings, String encoding, long body) {
        return mismatch(lengths, length, encodings, encoding, body, true);
    }

    /** {@link #ofHead(int, String, int, String, long)} of every value of the two headers. */
    public static String ofHead(List<String> lengths, List<String> encodings, long body) {
        return ofHead(lengths.size(), first(lengths), encodings.size(), first(encodings), body);
    }

    /** {@link #ofHead(List, List, long)} of a head whose every header name is checked first ({@link #ofNames}). */
    public static String ofHead(Iterable<String> names, List<String> lengths, List<String> encodings, long body) {
        String named = ofNames(names);
        return named != null ? named : ofHead(lengths, encodings, body);
    }

    /** {@link #ofHead(int, String, int, String, long)} of a head whose every header name is checked first ({@link #ofNames}). */
    public static String ofHead(Iterable<String> names, int lengths, String length, int encodings, String encoding, long body) {
        String named = ofNames(names);
        return named != null ? named : ofHead(lengths, length, encodings, encoding, body);
    }

    /**
     * Why a head's header names do not say which of its headers frame the body, or null. A server finds the two
     * framing headers by name, and this check reads them by exact name: a name that is not an RFC 9110 token
     * ({@code Content-Length } with a space before the colon, a name holding a colon, a control character or
     * nothing) is one that a lenient server or proxy may read as {@code Content-Length} (dropping the space, or
     * splitting at the first colon, {@code Transfer-Encoding:chunked} with a value of its own) while this check saw
     * no framing header, and a strict one refuses. Apache HttpClient 4 and 5 and {@code HttpURLConnection} write an
     * application's names unchecked, OkHttp lets a colon through; the JDK client refuses such a name itself. No
     * client writes one of its own, so the head is refused, whatever the name.
     */
    public static String ofNames(Iterable<String> names) {
        for (String name : names) {
            if (!isToken(name)) {
                return "a header name that is not a token (RFC 9110: a space, a colon, a control character or nothing)";
            }
        }
        return null;
    }

    /** {@link #ofHeadBeforeItsFraming} of a head whose every header name is checked first ({@link #ofNames}). */
    public static String ofHeadBeforeItsFraming(Iterable<String> names, int lengths, String length, int encodings,
                                                String encoding, long body) {
        String named = ofNames(names);
        return named != null ? named : ofHeadBeforeItsFraming(lengths, length, encodings, encoding, body);
    }

    /** RFC 9110 §5.6.2: {@code 1*tchar}. */
    static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /**
     * The head before the connection's own processing, for a client that adds the framing a head lacks there, or
     * refuses to write a body without one (Apache HttpClient 5 async: its minimal client's connection adds it): the
     * framing present must be the body's; a missing one is the client's to add.
     */
    public static String ofHeadBeforeItsFraming(int lengths, String length, int encodings, String encoding, long body) {
        return mismatch(lengths, length, encodings, encoding, body, false);
    }

    /**
     * The application's own headers, for a client that writes its own framing besides them (the JDK's
     * {@code HttpClient}, which refuses an application's {@code Content-Length} unless
     * {@code jdk.httpclient.allowRestrictedHeaders} names it, but writes its {@code Transfer-Encoding} beside its own
     * {@code Content-Length}): any {@code Transfer-Encoding} contradicts the client's; a {@code Content-Length} must be
     * the body's.
     */
    public static String ofApplicationHeaders(List<String> lengths, List<String> encodings, long body) {
        if (!encodings.isEmpty()) {
            return "a Transfer-Encoding of the application's, beside the framing the client writes itself";
        }
        return mismatch(lengths.size(), first(lengths), 0, null, body, false);
    }

    private static String mismatch(int lengths, String length, int encodings, String encoding, long body,
                                   boolean unframedBodyIsMismatch) {
        if (lengths > 1) {
            return lengths + " Content-Length headers";
        }
        if (encodings > 1) {
            return encodings + " Transfer-Encoding headers";
        }
        long declared = lengths == 1 ? digits(length) : -1L;
        if (lengths == 1 && declared < 0) {
            return "a Content-Length that is not a number";
        }
        boolean chunked = encodings == 1 && CHUNKED.equalsIgnoreCase(encoding);
        if (encodings == 1 && !chunked) {
            return "a Transfer-Encoding other than chunked";
        }
        if (chunked && lengths == 1) {
            return "both a Content-Length and a Transfer-Encoding";
        }
        if (body == NO_BODY) {
            if (chunked) {
                return "Transfer-Encoding: chunked on a request with no body";
            }
            return declared > 0 ? "Content-Length: " + declared + " on a request with no body" : null;
        }
        if (body == UNKNOWN_LENGTH) {
            if (lengths == 1) {
                return "Content-Length: " + declared + " on a body of unknown length, which the client sends chunked";
            }
            return !chunked && unframedBodyIsMismatch ? "a body of unknown length without Transfer-Encoding: chunked" : null;
        }
        if (body == AS_THE_HEAD_SAYS) {
            return lengths == 0 && !chunked ? "a body with neither a Content-Length nor a Transfer-Encoding" : null;
        }
        if (chunked) {
            return "Transfer-Encoding: chunked on a body of " + body + " bytes, which the client sends with its length";
        }
        if (lengths == 0) {
            return body > 0 && unframedBodyIsMismatch
                    ? "a body of " + body + " bytes with neither a Content-Length nor a Transfer-Encoding" : null;
        }
        return declared != body ? "Content-Length: " + declared + " on a body of " + body + " bytes" : null;
    }

    /** The value as a length: digits only (no sign, no space, no list), else -1. */
    private static long digits(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_DIGITS) {
            return -1L;
        }
        long parsed = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1L;
            }
            parsed = parsed * 10 + (c - '0');
        }
        return parsed;
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0);
    }
}
