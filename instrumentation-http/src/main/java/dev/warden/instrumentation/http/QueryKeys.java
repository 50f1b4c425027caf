package dev.warden.instrumentation.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys of a query as servers read them: split at {@code &}, each key percent-decoded (UTF-8) with {@code +} read
 * as a space, the way form-encoded queries are parsed by the servlet API, Python's {@code parse_qs}, PHP, Rails and
 * Node's {@code URLSearchParams}. A rule on the key {@code delete} must see {@code %64elete} and {@code delet%65}
 * as the {@code delete} the server acts on. A {@code %} not followed by two hex digits is kept as written, as those
 * parsers do. A key with brackets ({@code delete[]}, {@code delete[id]}) is listed with the name before them too, which
 * PHP, Rails and Express read as the parameter. Other frameworks' spellings (Spring's {@code !delete} and
 * {@code _delete} field markers, ASP.NET's case-insensitive keys, {@code ;} as a separator) are not folded.
 * Values never leave this class.
 *
 * @param keys  the distinct keys in order of appearance, at most {@link HttpRequestFacts#MAX_NAMES}, each bounded
 * @param count how many distinct keys the query has: above {@link HttpRequestFacts#MAX_NAMES}, {@code keys} is not all
 */
record QueryKeys(List<String> keys, int count) {

    private static final QueryKeys NONE = new QueryKeys(List.of(), 0);

    static QueryKeys of(String query) {
        if (query == null || query.isEmpty()) {
            return NONE;
        }
        List<String> keys = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            // Within this pair only: searching the rest of the query for each key made a query of keys without '='
            // cost its length squared (a second reading: 200,000 flags held the decision for three minutes).
            int equals = start;
            while (equals < end && query.charAt(equals) != '=') {
                equals++;
            }
            String key = decode(query, start, equals);
            if (!key.isEmpty() && distinct.add(key)) {
                add(keys, key);
                // PHP, Rails and Express's qs read delete[] and delete[id] as the parameter delete.
                int bracket = key.indexOf('[');
                if (bracket > 0) {
                    add(keys, key.substring(0, bracket));
                }
            }
            start = end + 1;
        }
        return new QueryKeys(List.copyOf(keys), distinct.size());
    }

    private static void add(List<String> keys, String key) {
        String bounded = HttpRequestFacts.bounded(key, HttpRequestFacts.MAX_NAME_LENGTH);
        if (keys.size() < HttpRequestFacts.MAX_NAMES && !keys.contains(bounded)) {
            keys.add(bounded);
        }
    }

    /** {@code query[from, to)} percent-decoded as UTF-8 (malformed sequences replaced), {@code +} as a space. */
    static String decode(String query, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            char c = query.charAt(i);
            plain = c != '%' && c != '+';
        }
        if (plain) {
            return query.substring(from, to);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = query.charAt(i);
            int decoded = c == '%' ? hex(query, i + 1, to) : -1;
            if (c == '+') {
                bytes.write(' ');
            } else if (decoded >= 0) {
                bytes.write(decoded);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // A character the client left unencoded (a URL's query may hold any): its UTF-8 bytes, a surrogate pair whole.
                int end = Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(query.charAt(i + 1)) ? i + 2 : i + 1;
                bytes.writeBytes(query.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The byte two hex digits at {@code at} spell, or -1 when there are not two before {@code to}. */
    private static int hex(String query, int at, int to) {
        if (at + 1 >= to) {
            return -1;
        }
        int high = digit(query.charAt(at));
        int low = digit(query.charAt(at + 1));
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    /** An ASCII hex digit's value (not {@link Character#digit}, which reads other scripts' digits too), or -1. */
    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
