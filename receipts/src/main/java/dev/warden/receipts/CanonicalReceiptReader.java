package dev.warden.receipts;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a receipt straight from its bytes while checking, byte by byte, that they are the canonical
 * encoding {@link ReceiptCodec} writes: members in their fixed order, no whitespace, strings escaped
 * exactly as JCS escapes them, integers without leading zeros, map keys strictly increasing. Decoding
 * the text and re-encoding it to compare (the general path) costs most of a verifier's time.
 *
 * <p>It only ever accepts: whatever it does not recognise (a receipt citing approvals, escapes mixed with
 * non-ASCII text, an 19-digit sequence number, and every malformed input) yields {@code null}, and the
 * caller takes the general path, which accepts or names the problem exactly as before. Everything it
 * accepts, the general path accepts as the same receipt (CanonicalReceiptReaderTest compares the two).
 */
final class CanonicalReceiptReader {
    private static final byte[] ACTION_DIGEST = ascii("{\"actionDigest\":");
    private static final byte[] ACTOR = member("actor");
    private static final byte[] CHAIN = member("chain");
    private static final byte[] ENFORCED = member("enforced");
    private static final byte[] ID = member("id");
    private static final byte[] OBLIGATIONS = member("obligations");
    private static final byte[] ON_BEHALF_OF = member("onBehalfOf");
    private static final byte[] OPERATION = member("operation");
    private static final byte[] OUTCOME = member("outcome");
    private static final byte[] POLICY_VERSION = member("policyVersion");
    private static final byte[] PREV = member("prev");
    private static final byte[] REASON = member("reason");
    private static final byte[] RULES = member("rules");
    private static final byte[] SEQ = member("seq");
    private static final byte[] SESSION = member("session");
    private static final byte[] SUMMARY = member("summary");
    private static final byte[] SURFACE = member("surface");
    private static final byte[] TARGET = member("target");
    private static final byte[] TIME = member("time");
    private static final byte[] END = ascii(",\"v\":" + Receipt.FORMAT_VERSION + "}");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    /** Thrown (without a stack trace) when the bytes leave the shape this reader checks. */
    private static final class NotRecognised extends Exception {
        private static final NotRecognised INSTANCE = new NotRecognised();

        private NotRecognised() {
            super(null, null, false, false);
        }
    }

    /**
     * What this thread read each repeating field as lately (ids, hashes and times never repeat). A verifier
     * reads millions of receipts that share most of their fields: reusing the values saves most of the
     * allocation, and the collections that costs.
     */
    private static final class Recent {
        final RecentValues actionDigest = new RecentValues();
        final RecentValues actor = new RecentValues();
        final RecentValues chain = new RecentValues();
        final RecentValues obligations = new RecentValues();
        final RecentValues onBehalfOf = new RecentValues();
        final RecentValues operation = new RecentValues();
        final RecentValues outcome = new RecentValues();
        final RecentValues policyVersion = new RecentValues();
        final RecentValues reason = new RecentValues();
        final RecentValues rules = new RecentValues();
        final RecentValues session = new RecentValues();
        final RecentValues summary = new RecentValues();
        final RecentValues surface = new RecentValues();
        final RecentValues target = new RecentValues();
        /** The bytes of the last time read up to its fraction ({@code "YYYY-MM-DDThh:mm:ss}), and its epoch second. */
        byte[] second;
        long epochSecond;
    }

    private static final ThreadLocal<Recent> RECENT = ThreadLocal.withInitial(Recent::new);

    /** Reads one immutable value at the reader's position (a method of the reader: nothing captured, nothing allocated). */
    @FunctionalInterface
    private interface ValueReader<T> {
        T read(CanonicalReceiptReader reader) throws NotRecognised;
    }

    private final byte[] b;
    private final Recent recent;
    private int pos;
    /** What {@link #fields} read: the receipt's place in its chain, and its draft. */
    private String chain;
    private long seq;
    private byte[] prev;
    private ReceiptDraft draft;

    private CanonicalReceiptReader(byte[] bytes, Recent recent) {
        this.b = bytes;
        this.recent = recent;
    }

    /** The receipt, when {@code bytes} are a canonical receipt of the common shape; otherwise {@code null}. */
    /** @param owned whether the receipt may keep {@code bytes} (nobody else writes to them) instead of a copy */
    static Receipt read(byte[] bytes, boolean owned) {
        try {
            return new CanonicalReceiptReader(bytes, RECENT.get()).receipt(owned);
        } catch (NotRecognised | MalformedReceiptException | IllegalArgumentException | NullPointerException e) {
            return null; // the general path decides, and names what is wrong
        }
    }

    /** The draft alone, when {@code bytes} are a canonical receipt of the common shape; otherwise {@code null}. */
    static ReceiptDraft readDraft(byte[] bytes) {
        try {
            CanonicalReceiptReader reader = new CanonicalReceiptReader(bytes, RECENT.get());
            reader.fields();
            return reader.draft;
        } catch (NotRecognised | MalformedReceiptException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private Receipt receipt(boolean owned) throws NotRecognised, MalformedReceiptException {
        fields();
        return Receipt.sealed(chain, seq, prev, draft, owned ? b : b.clone(), TreeHashes.leaf(b));
    }

    private void fields() throws NotRecognised, MalformedReceiptException {
        Recent r = recent;
        expect(ACTION_DIGEST);
        String actionDigest = repeated(r.actionDigest, CanonicalReceiptReader::nullableString);
        expect(ACTOR);
        String actor = repeated(r.actor, CanonicalReceiptReader::nullableString);
        expect(CHAIN); // a receipt citing approvals has "approvals" here: not recognised
        String chain = repeated(r.chain, CanonicalReceiptReader::string);
        expect(ENFORCED);
        boolean enforced = bool();
        expect(ID);
        String id = string();
        expect(OBLIGATIONS);
        Map<String, String> obligations = repeated(r.obligations, CanonicalReceiptReader::map);
        expect(ON_BEHALF_OF);
        String onBehalfOf = repeated(r.onBehalfOf, CanonicalReceiptReader::nullableString);
        expect(OPERATION);
        String operation = repeated(r.operation, CanonicalReceiptReader::string);
        expect(OUTCOME);
        String outcome = repeated(r.outcome, CanonicalReceiptReader::string);
        expect(POLICY_VERSION);
        String policyVersion = repeated(r.policyVersion, CanonicalReceiptReader::nullableString);
        expect(PREV);
        byte[] prev = sha256Hex();
        expect(REASON);
        String reason = repeated(r.reason, CanonicalReceiptReader::nullableString);
        expect(RULES);
        List<String> rules = repeated(r.rules, CanonicalReceiptReader::list);
        expect(SEQ);
        long seq = count();
        expect(SESSION);
        String session = repeated(r.session, CanonicalReceiptReader::nullableString);
        expect(SUMMARY);
        Map<String, String> summary = repeated(r.summary, CanonicalReceiptReader::map);
        expect(SURFACE);
        String surface = repeated(r.surface, CanonicalReceiptReader::string);
        expect(TARGET);
        String target = repeated(r.target, CanonicalReceiptReader::nullableString);
        expect(TIME);
        Instant time = time();
        expect(END);
        if (pos != b.length) {
            throw NotRecognised.INSTANCE;
        }
        this.chain = chain;
        this.seq = seq;
        this.prev = prev;
        this.draft = new ReceiptDraft(id, time, actor, onBehalfOf, session, surface, operation,
                target, actionDigest, summary, outcome, enforced, rules, reason, obligations, policyVersion);
    }

    /**
     * The value at {@code pos}: the one read before from the same bytes, if {@code values} has it (the same bytes
     * read again give an equal value, so only the allocation is saved), or read now and kept.
     */
    @SuppressWarnings("unchecked")
    private <T> T repeated(RecentValues values, ValueReader<T> reader) throws NotRecognised {
        int i = values.find(b, pos);
        if (i >= 0) {
            pos += values.length(i);
            return (T) values.value(i);
        }
        int start = pos;
        T value = reader.read(this);
        values.keep(b, start, pos, value);
        return value;
    }

    /**
     * The time, which {@link Timestamps#parse} accepts only in the fixed-width form {@link Timestamps#format} writes
     * back, digit for digit. Receipts written in the same second share all but the fraction: when the bytes up to
     * it are those of the last time read, only the fraction is read (nine digits, then {@code Z}).
     */
    private Instant time() throws NotRecognised, MalformedReceiptException {
        byte[] second = recent.second;
        if (second != null && startsWith(second) && pos + 32 <= b.length && b[pos + 20] == '.' && b[pos + 30] == 'Z'
                && b[pos + 31] == '"') {
            int nanos = 0;
            for (int i = pos + 21; i < pos + 30; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    throw NotRecognised.INSTANCE;
                }
                nanos = nanos * 10 + (b[i] - '0');
            }
            pos += 32;
            return Instant.ofEpochSecond(recent.epochSecond, nanos);
        }
        int start = pos;
        Instant time = Timestamps.parse(string());
        if (pos - start == 32) { // no escapes: the bytes are the 30 characters
            recent.second = Arrays.copyOfRange(b, start, start + 20);
            recent.epochSecond = time.getEpochSecond();
        }
        return time;
    }

    private void expect(byte[] literal) throws NotRecognised {
        if (!startsWith(literal)) {
            throw NotRecognised.INSTANCE;
        }
        pos += literal.length;
    }

    private boolean startsWith(byte[] literal) {
        int n = literal.length;
        if (pos + n > b.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != literal[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean bool() throws NotRecognised {
        if (startsWith(TRUE)) {
            pos += TRUE.length;
            return true;
        }
        expect(FALSE);
        return false;
    }

    /** A non-negative integer as the writer spells it: no sign, no leading zero, at most 18 digits (no overflow). */
    private long count() throws NotRecognised {
        int start = pos;
        long n = 0;
        while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
            n = n * 10 + (b[pos++] - '0');
        }
        int digits = pos - start;
        if (digits == 0 || digits > 18 || digits > 1 && b[start] == '0') {
            throw NotRecognised.INSTANCE;
        }
        return n;
    }

    /**
     * {@code "<64 lowercase hex digits>"}, what {@link Hex#isSha256} accepts, checked on the bytes and read as the 32
     * bytes it spells: a verifier compares it with the hash before, and its hex is made only if asked for.
     */
    private byte[] sha256Hex() throws NotRecognised {
        expectByte('"');
        if (pos + 65 > b.length || b[pos + 64] != '"') {
            throw NotRecognised.INSTANCE;
        }
        byte[] hash = new byte[32];
        if (!Hex.decode(b, pos, hash)) {
            throw NotRecognised.INSTANCE;
        }
        pos += 65;
        return hash;
    }

    private String nullableString() throws NotRecognised {
        if (startsWith(NULL)) {
            pos += NULL.length;
            return null;
        }
        return string();
    }

    /** {@code ["a","b"]}: strings only (the general path rejects a null item). */
    private List<String> list() throws NotRecognised {
        expectByte('[');
        if (peek() == ']') {
            pos++;
            return List.of();
        }
        List<String> items = new ArrayList<>(2);
        while (true) {
            items.add(string());
            if (peek() == ']') {
                pos++;
                return List.copyOf(items); // immutable, so a draft keeps it as it is
            }
            expectByte(',');
        }
    }

    /** {@code {"k":"v","l":null}}: string keys in strictly increasing UTF-16 order (as the writer sorts them), string or null values. */
    private Map<String, String> map() throws NotRecognised {
        expectByte('{');
        if (peek() == '}') {
            pos++;
            return Collections.emptySortedMap();
        }
        TreeMap<String, String> members = new TreeMap<>();
        String last = null;
        while (true) {
            String key = string();
            if (last != null && last.compareTo(key) >= 0) {
                throw NotRecognised.INSTANCE; // out of order or repeated: not what the writer produces
            }
            expectByte(':');
            members.put(key, nullableString());
            last = key;
            if (peek() == '}') {
                pos++;
                return ReceiptDraft.adopt(members); // immutable, so a draft keeps it as it is
            }
            expectByte(',');
        }
    }

    /**
     * A JSON string in JCS form: printable ASCII (DEL included) except {@code "} and {@code \} as it is; exactly
     * the escapes JCS writes ({@code \" \\ \b \t \n \f \r}, other controls {@code \}{@code u00} and two lowercase hex
     * digits); other text as well-formed UTF-8. Escapes and non-ASCII text in one string: not recognised.
     */
    private String string() throws NotRecognised {
        expectByte('"');
        int start = pos;
        boolean ascii = true;
        while (true) {
            if (pos >= b.length) {
                throw NotRecognised.INSTANCE;
            }
            int c = b[pos] & 0xff;
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (!ascii) {
                    throw NotRecognised.INSTANCE; // escapes and non-ASCII text in one string: the general path's
                }
                return escaped(start);
            }
            if (c < 0x20) {
                throw NotRecognised.INSTANCE;
            }
            if (c >= 0x80) {
                ascii = false;
            }
            pos++;
        }
        String s = ascii ? new String(b, start, pos - start, StandardCharsets.ISO_8859_1) : utf8(start, pos);
        pos++;
        return s;
    }

    /** The rest of an ASCII string that holds escapes, from its first character at {@code start}. */
    private String escaped(int start) throws NotRecognised {
        StringBuilder sb = new StringBuilder(pos - start + 16);
        sb.append(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
        while (true) {
            if (pos >= b.length) {
                throw NotRecognised.INSTANCE;
            }
            int c = b[pos++] & 0xff;
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20 || c >= 0x80) {
                throw NotRecognised.INSTANCE;
            }
            if (c != '\\') {
                sb.append((char) c);
                continue;
            }
            if (pos >= b.length) {
                throw NotRecognised.INSTANCE;
            }
            switch (b[pos++]) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'b' -> sb.append('\b');
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'f' -> sb.append('\f');
                case 'r' -> sb.append('\r');
                case 'u' -> sb.append(controlEscape());
                default -> throw NotRecognised.INSTANCE; // \/ and anything else: never written
            }
        }
    }

    /** After {@code \}{@code u}: {@code 00} and two lowercase hex digits naming a control without a short escape. */
    private char controlEscape() throws NotRecognised {
        if (pos + 4 > b.length || b[pos] != '0' || b[pos + 1] != '0') {
            throw NotRecognised.INSTANCE;
        }
        int c = lowerHexDigit(b[pos + 2]) << 4 | lowerHexDigit(b[pos + 3]);
        if (c >= 0x20 || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
            throw NotRecognised.INSTANCE;
        }
        pos += 4;
        return (char) c;
    }

    private static int lowerHexDigit(byte d) throws NotRecognised {
        int value = Hex.value(d);
        if (value < 0) {
            throw NotRecognised.INSTANCE;
        }
        return value;
    }

    /**
     * Strict UTF-8 (no overlong forms, no encoded surrogates, nothing past U+10FFFF): exactly the byte
     * strings the writer produces for the text they decode to.
     */
    private String utf8(int from, int to) throws NotRecognised {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(b, from, to - from));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw NotRecognised.INSTANCE;
        }
    }

    private int peek() throws NotRecognised {
        if (pos >= b.length) {
            throw NotRecognised.INSTANCE;
        }
        return b[pos];
    }

    private void expectByte(char c) throws NotRecognised {
        if (peek() != c) {
            throw NotRecognised.INSTANCE;
        }
        pos++;
    }

    private static byte[] member(String name) {
        return ascii(",\"" + name + "\":");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
