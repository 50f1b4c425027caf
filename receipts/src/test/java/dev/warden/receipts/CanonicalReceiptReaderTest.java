package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-level reader accepts exactly the writer's bytes, and never anything the general path
 * (decode, re-encode, compare) rejects or reads differently.
 */
class CanonicalReceiptReaderTest {
    private static final List<byte[]> SAMPLES = samples();

    @Test
    void aReceiptParsedFromAnyonesBytesKeepsItsOwnCopyAndOneFromTheLogItsExcerpts() throws Exception {
        byte[] bytes = SAMPLES.get(0).clone();
        Receipt parsed = Receipt.parse(bytes);
        Receipt fromLog = new LogEntry.StoredReceipt(null, TreeHashes.leaf(bytes), new byte[16], bytes).parse();
        byte[] before = bytes.clone();

        bytes[bytes.length - 2] ^= 1; // the caller changes its array afterwards
        assertThat(parsed.canonicalBytes()).isEqualTo(before);
        assertThat(fromLog.canonicalBytes()).isEqualTo(bytes); // shared, as StoredReceipt.parse says: one copy per excerpt
        assertThat(fromLog.leafHash()).isEqualTo(TreeHashes.leaf(before));
    }

    @Test
    void readsEveryCommonReceiptTheWriterWritesAsTheGeneralPathDoes() throws Exception {
        for (byte[] bytes : SAMPLES) {
            Receipt fast = CanonicalReceiptReader.read(bytes, false);
            assertThat(fast).as(text(bytes)).isNotNull();
            assertSame(fast, ReceiptCodec.parseAny(bytes));
            assertThat(fast.canonicalBytes()).isEqualTo(bytes);
            assertThat(fast.leafHash()).isEqualTo(TreeHashes.leaf(bytes));
        }
    }

    /** A receipt read from bytes keeps its prev as bytes: it follows exactly the hash its prev spells, as one sealed from hex does. */
    @Test
    void aReceiptFollowsTheHashItsPrevNamesWhetherReadFromBytesOrSealedFromHex() throws Exception {
        byte[] before = TreeHashes.leaf("the receipt before".getBytes(StandardCharsets.UTF_8));
        byte[] other = before.clone();
        other[31] ^= 1;
        Receipt sealed = Receipt.seal("chain-1", 4, Hex.of(before), Drafts.sql(4));
        Receipt read = CanonicalReceiptReader.read(sealed.canonicalBytes(), false);

        for (Receipt r : List.of(sealed, read)) {
            assertThat(r.follows(before)).isTrue();
            assertThat(r.follows(other)).isFalse();
            assertThat(r.follows(new byte[31])).isFalse();
            assertThat(r.previousHash()).isEqualTo(Hex.of(before));
        }
    }

    /**
     * The reader reuses the values it read from the same bytes before (on this thread): a receipt read again, and
     * receipts that share some fields and the second of their time with the one before, read as the general path
     * reads them.
     */
    @Test
    void readsReceiptsSharingTheValuesOfThoseBeforeAsTheGeneralPathDoes() throws Exception {
        ReceiptDraft d = Drafts.sql(3);
        List<byte[]> run = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            run.addAll(SAMPLES);
            run.add(seal(new ReceiptDraft(d.id(), d.time().plusNanos(i), d.actor(), d.onBehalfOf(), "s-" + i, d.surface(),
                    d.operation(), d.target(), d.actionDigest(), Map.of("sql", "SELECT " + i), d.outcome(), d.enforced(),
                    i == 1 ? List.of("other") : d.rules(), d.reason(), d.obligations(), d.policyVersion())).canonicalBytes());
        }
        for (byte[] bytes : run) {
            assertSame(CanonicalReceiptReader.read(bytes, false), ReceiptCodec.parseAny(bytes));
        }
    }

    @Test
    void leavesReceiptsCitingApprovalsAndEscapesMixedWithNonAsciiToTheGeneralPath() throws Exception {
        ReceiptDraft cites = Drafts.sql(1).withApprovals(List.of(new ApprovalCitation("01935f3c-7b2a-7000-8000-000000000000",
                "a1", "approve", Instant.parse("2026-11-23T00:00:00Z"), "c2ln")));
        byte[] mixed = seal(Drafts.withSummary(Map.of("q", "é\n"))).canonicalBytes();

        for (byte[] bytes : List.of(seal(cites).canonicalBytes(), mixed)) {
            assertThat(CanonicalReceiptReader.read(bytes, false)).isNull();
            assertThat(Receipt.parse(bytes).canonicalBytes()).isEqualTo(bytes); // still read, by the general path
        }
    }

    @Test
    void recognisesNoNonCanonicalSpelling() {
        String t = text(seal(Drafts.withSummary(Map.of("a", "x\ty", "b", "plain"))).canonicalBytes());
        List<String> variants = List.of(
                t.replace("support-bot", "support\\u002dbot"),       // a needless \\u escape
                t.replace("support-bot", "support\\/bot"),           // \\/ is never written
                t.replace("x\\ty", "x\\u0009y"),                     // a control with a short escape
                t.replace("x\\ty", "x\\u001Fy"),                     // uppercase hex
                t.replace("x\\ty", "x\ty"),                          // an unescaped control
                t.replace("x\\ty", "x\\ud800y"),                     // a lone surrogate
                t.replace(",\"v\":1}", ", \"v\":1}"),                // whitespace
                t.replace(",\"v\":1}", ",\"v\":01}"),
                t.replace("\"seq\":3", "\"seq\":03"),
                t.replace("\"seq\":3", "\"seq\":-0"),
                t.replace("\"seq\":3", "\"seq\":3.0"),
                t.replace("\"enforced\":true", "\"enforced\":True"),
                t.replace("{\"a\":\"x\\ty\",\"b\":\"plain\"}", "{\"b\":\"plain\",\"a\":\"x\\ty\"}"), // keys out of order
                t.replace("{\"a\":\"x\\ty\",\"b\":\"plain\"}", "{\"a\":\"x\\ty\",\"a\":\"plain\"}"), // a repeated key
                t.replace("\"rules\":[\"support-may-read-accounts\"]", "\"rules\":[null]"),
                t.replace("\"surface\":\"jdbc\"", "\"surface\":null"),
                t.replace("\"outcome\":\"PERMIT\"", "\"outcome\":\"ALLOW\""),
                t.replace("\"time\":\"2026-11-22T10:15:30.123456789Z\"", "\"time\":\"2026-11-22T10:15:60.123456789Z\""),
                t.replace("\"prev\":\"0", "\"prev\":\"A"),                // uppercase hex
                t.replace("\"prev\":\"0", "\"prev\":\""),                 // 63 digits
                t + " ",
                t.substring(0, t.length() - 1));
        variants = new ArrayList<>(variants);
        variants.add(t.replace("30.123456789Z", "30.12345678xZ"));  // the second just read, a fraction that is not digits
        variants.add(t.replace("30.123456789Z", "30.1234567891Z")); // ... ten digits
        for (String v : variants) {
            assertThat(v).as("the variant changes something").isNotEqualTo(t);
            // Read right after t itself, whose values the reader then keeps: only the same bytes may reuse them.
            assertThat(CanonicalReceiptReader.read(t.getBytes(StandardCharsets.UTF_8), false)).isNotNull();
            assertThat(CanonicalReceiptReader.read(v.getBytes(StandardCharsets.UTF_8), false)).as(v).isNull();
        }
        byte[] overlong = bytesWith(t, "plain", new byte[] {'p', (byte) 0xc1, (byte) 0xac, 'n'}); // 'l' in two bytes
        byte[] surrogate = bytesWith(t, "plain", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
        assertThat(CanonicalReceiptReader.read(overlong, false)).isNull();
        assertThat(CanonicalReceiptReader.read(surrogate, false)).isNull();
    }

    /** The previous hash is read by table: any byte outside 0-9 and a-f, at any of its 64 places, is not recognised. */
    @Test
    void recognisesAPreviousHashOfLowercaseDigitsOnlyAtEveryPlace() {
        byte[] t = seal(Drafts.sql(1)).canonicalBytes();
        int prev = text(t).indexOf("\"prev\":\"") + "\"prev\":\"".length();
        for (int place = 0; place < 64; place++) {
            for (int outside : new int[] {'/', ':', '@', 'A', 'F', 'G', '`', 'g', 0x00, 0x7f, 0xb0, 0xff}) {
                byte[] variant = t.clone();
                variant[prev + place] = (byte) outside;
                assertThat(CanonicalReceiptReader.read(variant, false)).as("byte " + outside + " at " + place).isNull();
            }
            for (byte digit : "0123456789abcdef".getBytes(StandardCharsets.US_ASCII)) {
                byte[] variant = t.clone();
                variant[prev + place] = digit;
                Receipt read = CanonicalReceiptReader.read(variant, false);
                assertThat(read).as("digit " + (char) digit + " at " + place).isNotNull();
                assertThat(read.previousHash()).isEqualTo(text(variant).substring(prev, prev + 64));
            }
        }
    }

    /** The replay's path: the same draft as the receipt's, for the common shape and the general path alike, and no hash. */
    @Test
    void aDraftReadWithoutItsHashIsTheDraftOfTheReceipt() throws Exception {
        ReceiptDraft cites = Drafts.sql(1).withApprovals(List.of(new ApprovalCitation("01935f3c-7b2a-7000-8000-000000000000",
                "a1", "approve", Instant.parse("2026-11-23T00:00:00Z"), "c2ln")));
        List<byte[]> all = new ArrayList<>(SAMPLES);
        all.add(seal(cites).canonicalBytes());
        for (byte[] bytes : all) {
            assertThat(ReceiptCodec.parseDraft(bytes)).as(text(bytes)).isEqualTo(ReceiptCodec.parseAny(bytes).draft());
        }
        for (byte[] bytes : SAMPLES) {
            assertThat(CanonicalReceiptReader.readDraft(bytes)).as("read on the common path: " + text(bytes)).isNotNull();
        }
        assertThat(CanonicalReceiptReader.readDraft(all.get(all.size() - 1))).as("left to the general path").isNull();
    }

    /** The same mutations: a draft is read from nothing the general path rejects, and read as it reads it. */
    @Test
    void aDraftIsReadFromNothingTheGeneralPathRejects() {
        int accepted = 0;
        byte[] alphabet = "\"\\{}[],:0123456789-.eEtrufalsn u/bfr\t\n\u007f".getBytes(StandardCharsets.US_ASCII);
        int rejected = 0;
        for (int seed = 0; seed < 5_000; seed++) {
            Random random = new Random(seed);
            byte[] m = mutate(SAMPLES.get(random.nextInt(SAMPLES.size())), random, alphabet);
            ReceiptDraft general;
            try {
                general = ReceiptCodec.parseAny(m).draft();
            } catch (MalformedReceiptException e) {
                assertThat(CanonicalReceiptReader.readDraft(m)).as("seed %d: %s", seed, text(m)).isNull();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReceiptCodec.parseDraft(m))
                        .isInstanceOf(MalformedReceiptException.class);
                rejected++;
                continue;
            }
            ReceiptDraft fast = CanonicalReceiptReader.readDraft(m);
            if (fast != null) {
                assertThat(fast).as("seed %d", seed).isEqualTo(general);
                accepted++;
            }
        }
        // Both outcomes occur, so the comparison is not vacuous.
        assertThat(accepted).isGreaterThan(20);
        assertThat(rejected).isGreaterThan(2_000);
    }

    /**
     * Deterministic random mutations of writer-made receipts (byte flips, insertions, deletions, duplicated and
     * swapped runs): whatever the byte-level reader accepts, the general path accepts as the same receipt.
     */
    @Test
    void acceptsNothingTheGeneralPathRejectsOrReadsDifferently() {
        byte[] alphabet = "\"\\{}[],:0123456789-.eEtrufalsn u/bfr\t\n\u007f".getBytes(StandardCharsets.US_ASCII);
        int accepted = 0;
        int rejected = 0;
        for (int seed = 0; seed < 20_000; seed++) {
            Random random = new Random(seed);
            byte[] m = mutate(SAMPLES.get(random.nextInt(SAMPLES.size())), random, alphabet);
            Receipt fast = CanonicalReceiptReader.read(m, false);
            Receipt general;
            try {
                general = ReceiptCodec.parseAny(m);
            } catch (MalformedReceiptException e) {
                assertThat(fast).as("seed %d: %s", seed, text(m)).isNull();
                rejected++;
                continue;
            }
            if (fast != null) {
                assertSame(fast, general);
                accepted++;
            }
        }
        // Both outcomes occur, so the comparison is not vacuous.
        assertThat(accepted).isGreaterThan(100);
        assertThat(rejected).isGreaterThan(10_000);
    }

    private static byte[] mutate(byte[] original, Random random, byte[] alphabet) {
        byte[] b = original.clone();
        int at = random.nextInt(b.length);
        switch (random.nextInt(6)) {
            case 0 -> b[at] = alphabet[random.nextInt(alphabet.length)];
            case 1 -> b[at] = (byte) random.nextInt(256);
            case 2 -> {
                byte[] longer = new byte[b.length + 1];
                System.arraycopy(b, 0, longer, 0, at);
                longer[at] = alphabet[random.nextInt(alphabet.length)];
                System.arraycopy(b, at, longer, at + 1, b.length - at);
                b = longer;
            }
            case 3 -> {
                byte[] shorter = new byte[b.length - 1];
                System.arraycopy(b, 0, shorter, 0, at);
                System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                b = shorter;
            }
            case 4 -> b[at] = (byte) (Character.isDigit(b[at]) ? '0' + random.nextInt(10) : b[at] ^ 0x20);
            default -> {
                int length = 1 + random.nextInt(Math.min(12, b.length - at));
                byte[] longer = Arrays.copyOf(b, b.length + length);
                System.arraycopy(b, at, longer, at + length, b.length - at);
                b = longer; // a run repeated
            }
        }
        return b;
    }

    private static void assertSame(Receipt fast, Receipt general) {
        assertThat(fast).isNotNull();
        assertThat(fast.canonicalBytes()).isEqualTo(general.canonicalBytes());
        assertThat(fast.draft()).isEqualTo(general.draft());
        assertThat(fast.chain()).isEqualTo(general.chain());
        assertThat(fast.sequence()).isEqualTo(general.sequence());
        assertThat(fast.previousHash()).isEqualTo(general.previousHash());
        assertThat(fast.version()).isEqualTo(general.version());
        assertThat(fast.hash()).isEqualTo(general.hash());
    }

    private static List<byte[]> samples() {
        List<byte[]> out = new ArrayList<>();
        Map<String, String> nulls = new HashMap<>();
        nulls.put("absent", null);
        nulls.put("", "empty key");
        List<Map<String, String>> summaries = List.of(Map.of(), nulls, Map.of("q", "line\nbreak \u0001 \" \\ \b\f\r\t \u007f"),
                Map.of("sql", "SELECT name FROM t WHERE x = 'é✓😀\u2028'"), Map.of("sql", "SELECT \"name\" FROM t"), Map.of("B", "0", "a", "1", "aa", "3", "b", "2"));
        for (int i = 0; i < summaries.size(); i++) {
            out.add(seal(Drafts.withSummary(summaries.get(i))).canonicalBytes());
        }
        ReceiptDraft d = Drafts.sql(3);
        out.add(seal(d).canonicalBytes());
        out.add(Receipt.seal("c", 999_999_999_999_999_999L, Hex.of(new byte[32]), d).canonicalBytes());
        out.add(Receipt.seal("c", 0, Receipt.GENESIS_PREVIOUS, new ReceiptDraft(d.id(), Instant.parse("0000-01-01T00:00:00Z"),
                null, null, null, "warden", "start", null, null, Map.of(), "DENY", false, List.of(), null, Map.of(), null))
                .canonicalBytes());
        out.add(Receipt.seal("c", 10, Receipt.GENESIS_PREVIOUS, new ReceiptDraft(d.id(), d.time(), "a", "b", "c", "http", "GET",
                "https://x", d.actionDigest(), Map.of("k", "v"), "HOLD", true, List.of("r1", "r2", "r3"), "why",
                Map.of("o1", "1", "o2", "2"), Drafts.POLICY)).canonicalBytes());
        return out;
    }

    private static Receipt seal(ReceiptDraft d) {
        return Receipt.seal("c", 3, Receipt.GENESIS_PREVIOUS, d);
    }

    private static byte[] bytesWith(String text, String replaced, byte[] by) {
        int at = text.indexOf(replaced);
        byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = text.substring(at + replaced.length()).getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + by.length + tail.length);
        System.arraycopy(by, 0, out, head.length, by.length);
        System.arraycopy(tail, 0, out, head.length + by.length, tail.length);
        return out;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
