package dev.warden.receipts;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the RFC 8785 (JCS) form of the few JSON shapes receipts use, straight to UTF-8 bytes.
 *
 * <p>Only what JCS requires: no whitespace, members in UTF-16 code-unit order (callers write them in
 * that order), strings escaped exactly as ECMAScript's {@code JSON.stringify} does ({@code \b \t \n \f
 * \r \" \\}, other controls as a backslash, {@code u00} and two lowercase hex digits, everything else literal). Integers only.
 * A lone surrogate, which JSON text cannot carry as UTF-8, is written as U+FFFD.
 *
 * <p>Reusable and not thread-safe: the log keeps one per lock so the hot path allocates only the
 * final copy.
 */
final class CanonicalJsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private byte[] buf = new byte[1024];
    private int len;
    private boolean needsComma;

    CanonicalJsonWriter reset() {
        len = 0;
        needsComma = false;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    /** Continues as if a value had just been written: the next member starts with a comma. */
    CanonicalJsonWriter afterValue() {
        needsComma = true;
        return this;
    }

    /** Bytes already in canonical form that end where a value is due (after a member's colon). */
    CanonicalJsonWriter raw(byte[] bytes) {
        put(bytes);
        needsComma = false;
        return this;
    }

    CanonicalJsonWriter beginObject() {
        comma();
        put((byte) '{');
        needsComma = false;
        return this;
    }

    CanonicalJsonWriter endObject() {
        put((byte) '}');
        needsComma = true;
        return this;
    }

    CanonicalJsonWriter name(String name) {
        comma();
        string(name);
        put((byte) ':');
        needsComma = false;
        return this;
    }

    CanonicalJsonWriter value(String s) {
        comma();
        if (s == null) {
            put(NULL);
        } else {
            string(s);
        }
        needsComma = true;
        return this;
    }

    CanonicalJsonWriter value(long n) {
        comma();
        if (n == Long.MIN_VALUE) {
            throw new IllegalArgumentException("out of range");
        }
        if (n < 0) {
            put((byte) '-');
            n = -n;
        }
        int start = len;
        do {
            put((byte) ('0' + (n % 10)));
            n /= 10;
        } while (n != 0);
        reverse(start, len - 1);
        needsComma = true;
        return this;
    }

    CanonicalJsonWriter value(boolean b) {
        comma();
        put(b ? TRUE : FALSE);
        needsComma = true;
        return this;
    }

    /** A JSON string value already known to be plain ASCII without escapes (hashes, timestamps). */
    CanonicalJsonWriter asciiValue(String s) {
        comma();
        ensure(s.length() + 2);
        buf[len++] = '"';
        for (int i = 0, n = s.length(); i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        buf[len++] = '"';
        needsComma = true;
        return this;
    }

    /** A hash, in the lowercase hex that is its only spelling, written in place (no String on the way). */
    CanonicalJsonWriter hexValue(byte[] bytes) {
        comma();
        ensure(bytes.length * 2 + 2);
        buf[len++] = '"';
        Hex.spell(bytes, bytes.length, buf, len);
        len += bytes.length * 2;
        buf[len++] = '"';
        needsComma = true;
        return this;
    }

    /** A receipt time ({@link Timestamps}), written in place. */
    CanonicalJsonWriter timeValue(java.time.Instant time) {
        comma();
        ensure(Timestamps.LENGTH + 2);
        buf[len++] = '"';
        Timestamps.format(time, buf, len);
        len += Timestamps.LENGTH;
        buf[len++] = '"';
        needsComma = true;
        return this;
    }

    CanonicalJsonWriter value(Map<String, String> sortedMap) {
        beginObject();
        for (Map.Entry<String, String> e : sortedMap.entrySet()) {
            name(e.getKey()).value(e.getValue());
        }
        return endObject();
    }

    CanonicalJsonWriter beginArray() {
        comma();
        put((byte) '[');
        needsComma = false;
        return this;
    }

    CanonicalJsonWriter endArray() {
        put((byte) ']');
        needsComma = true;
        return this;
    }

    CanonicalJsonWriter value(List<String> list) {
        comma();
        put((byte) '[');
        needsComma = false;
        for (String s : list) {
            value(s);
        }
        put((byte) ']');
        needsComma = true;
        return this;
    }

    private void comma() {
        if (needsComma) {
            put((byte) ',');
        }
    }

    private void string(String s) {
        int n = s.length();
        // Room for every character as one byte, checked once: an ASCII character needs no check of its own.
        // A wider one first makes room for itself (at most 6 bytes, an escaped control) and one byte for each
        // character after it, so the buffer grows to what is written, not to six times every string.
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buf[len++] = (byte) c;
                continue;
            }
            ensure(6 + (n - i) + 1);
            if (c < 0x80) {
                escapeAscii(c);
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xc0 | c >> 6);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[len++] = (byte) (0xf0 | cp >> 18);
                buf[len++] = (byte) (0x80 | cp >> 12 & 0x3f);
                buf[len++] = (byte) (0x80 | cp >> 6 & 0x3f);
                buf[len++] = (byte) (0x80 | cp & 0x3f);
            } else {
                char bmp = Character.isSurrogate(c) ? '\uFFFD' : c;
                buf[len++] = (byte) (0xe0 | bmp >> 12);
                buf[len++] = (byte) (0x80 | bmp >> 6 & 0x3f);
                buf[len++] = (byte) (0x80 | bmp & 0x3f);
            }
        }
        put((byte) '"');
    }

    private void escapeAscii(char c) {
        switch (c) {
            case '"' -> put2('\\', '"');
            case '\\' -> put2('\\', '\\');
            case '\b' -> put2('\\', 'b');
            case '\t' -> put2('\\', 't');
            case '\n' -> put2('\\', 'n');
            case '\f' -> put2('\\', 'f');
            case '\r' -> put2('\\', 'r');
            default -> {
                if (c < 0x20) {
                    ensure(6);
                    buf[len++] = '\\';
                    buf[len++] = 'u';
                    buf[len++] = '0';
                    buf[len++] = '0';
                    buf[len++] = HEX[c >> 4];
                    buf[len++] = HEX[c & 0xf];
                } else {
                    put((byte) c); // DEL (0x7f) is not escaped by JCS
                }
            }
        }
    }

    private void put2(char a, char b) {
        ensure(2);
        buf[len++] = (byte) a;
        buf[len++] = (byte) b;
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void reverse(int from, int to) {
        while (from < to) {
            byte t = buf[from];
            buf[from++] = buf[to];
            buf[to--] = t;
        }
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
