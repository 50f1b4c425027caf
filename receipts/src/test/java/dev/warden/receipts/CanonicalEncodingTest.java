package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The receipt encoding is RFC 8785 (JCS) JSON: what a third party must reproduce byte for byte. */
class CanonicalEncodingTest {

    @Test
    void membersAreWrittenInUtf16CodeUnitOrder() {
        assertThat(ReceiptCodec.MEMBERS).isSorted();
        String json = json(Drafts.sql(0));
        int last = -1;
        for (String member : ReceiptCodec.MEMBERS) {
            int at = json.indexOf("\"" + member + "\":");
            assertThat(at).as(member).isGreaterThan(last);
            last = at;
        }
    }

    @Test
    void stringsAreEscapedAsJsonStringifyDoes() {
        assertThat(string("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(string("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
        assertThat(string("\u0000\u001f")).isEqualTo("\"\\u0000\\u001f\"");
        assertThat(string("\u007f/<>&")).isEqualTo("\"\u007f/<>&\"");
        assertThat(string("é✓😀\u2028")).isEqualTo("\"é✓😀\u2028\"");
    }

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacter() {
        assertThat(string("x\ud800y")).isEqualTo("\"x\uFFFDy\"");
    }

    @Test
    void mapsAreSortedByKeyWhateverOrderTheGateUsed() {
        ReceiptDraft d = Drafts.withSummary(Map.of("b", "2", "a", "1", "B", "0", "aa", "3"));
        assertThat(json(d)).contains("\"summary\":{\"B\":\"0\",\"a\":\"1\",\"aa\":\"3\",\"b\":\"2\"}");
    }

    @Test
    void timeHasExactlyNineFractionDigitsInUtc() {
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000000000Z");
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05.12Z"))).isEqualTo("2026-01-02T03:04:05.120000000Z");
    }

    @Test
    void parsingRejectsAnythingButTheCanonicalBytes() {
        byte[] canonical = Receipt.seal("c", 0, Receipt.GENESIS_PREVIOUS, Drafts.sql(0)).canonicalBytes();
        String text = new String(canonical, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Receipt.parse((text.replace(",\"v\":1}", ", \"v\":1}")).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedReceiptException.class);
        assertThatThrownBy(() -> Receipt.parse((text.replace("support-bot", "support\\u002dbot")).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedReceiptException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> Receipt.parse(text.replace("\"seq\":0", "\"seq\":00").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedReceiptException.class);
        assertThatThrownBy(() -> Receipt.parse(text.replace("{\"actionDigest\"", "{\"extra\":1,\"actionDigest\"").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedReceiptException.class).hasMessageContaining("members");
        assertThatThrownBy(() -> Receipt.parse(text.substring(0, 100).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedReceiptException.class);
        assertThatThrownBy(() -> Receipt.parse(new byte[] {'"', (byte) 0xc3, '"'}))
                .isInstanceOf(MalformedReceiptException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void parseThenEncodeIsTheIdentity() throws Exception {
        Receipt r = Receipt.seal("c", 7, Receipt.GENESIS_PREVIOUS, Drafts.withSummary(Map.of("q", "line\nbreak \u0001 😀")));
        assertThat(Receipt.parse(r.canonicalBytes())).isEqualTo(r);
        assertThat(Receipt.parse(r.canonicalBytes()).hash()).isEqualTo(r.hash());
    }

    @Test
    void theActionDigestIsSha256OfACanonicalObject() {
        String digest = ActionDigest.of("jdbc", "SELECT", "accounts", new TreeMap<>(Map.of("sql", "SELECT 1")));
        String json = "{\"attributes\":{\"sql\":\"SELECT 1\"},\"operation\":\"SELECT\",\"surface\":\"jdbc\",\"target\":\"accounts\"}";
        assertThat(digest).isEqualTo(Hex.of(Sha256.of(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void boundParametersAreAMemberOfTheDigestedObjectAndTheTemplateDigestsTheSame() {
        String parameters = "0f".repeat(32);
        TreeMap<String, String> attributes = new TreeMap<>(Map.of("sql", "DELETE FROM t WHERE id = ?",
                "parameters", "p".repeat(64))); // an attribute that looks like the member must not confuse the template
        String json = "{\"attributes\":{\"parameters\":\"" + "p".repeat(64) + "\",\"sql\":\"DELETE FROM t WHERE id = ?\"},"
                + "\"operation\":\"DELETE\",\"parameters\":\"" + parameters + "\",\"surface\":\"jdbc\",\"target\":\"t\"}";
        String digest = ActionDigest.of("jdbc", "DELETE", "t", attributes, parameters);
        assertThat(digest).isEqualTo(Hex.of(Sha256.of(json.getBytes(StandardCharsets.UTF_8))));
        ActionDigest.Template template = ActionDigest.template("jdbc", "DELETE", "t", attributes);
        assertThat(template.with(parameters)).isEqualTo(digest);
        assertThat(template.with("1f".repeat(32))).isNotEqualTo(digest)
                .isEqualTo(ActionDigest.of("jdbc", "DELETE", "t", attributes, "1f".repeat(32)));
        assertThat(ActionDigest.of("jdbc", "DELETE", "t", attributes, null)).isEqualTo(ActionDigest.of("jdbc", "DELETE", "t", attributes));
        assertThatThrownBy(() -> template.with("abc")).isInstanceOf(IllegalArgumentException.class);
        // Only the spelling the format has: another would name the same values under a second digest.
        assertThatThrownBy(() -> template.with("0F".repeat(32))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> template.with("é".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }

    /** The template checks a parameters digest by table: nothing but a lowercase digit passes, at any of its 64 places. */
    @Test
    void theTemplateTakesLowercaseDigitsOnlyAtEveryPlace() {
        TreeMap<String, String> attributes = new TreeMap<>(Map.of("sql", "DELETE FROM t WHERE id = ?"));
        ActionDigest.Template template = ActionDigest.template("jdbc", "DELETE", "t", attributes);
        String parameters = "0123456789abcdef".repeat(4);
        for (int place = 0; place < 64; place++) {
            // '\u0130' and '\u0161' have the low byte of '0' and 'a': a check of the byte alone would take them.
            for (char outside : new char[] {'/', ':', '`', 'g', 'A', 'F', ' ', '\u0000', '\u007f', '\u00e9', '\u0130', '\u0161'}) {
                String variant = parameters.substring(0, place) + outside + parameters.substring(place + 1);
                assertThatThrownBy(() -> template.with(variant)).as((int) outside + " at " + place)
                        .isInstanceOf(IllegalArgumentException.class);
            }
            String variant = parameters.substring(0, place) + "f" + parameters.substring(place + 1);
            assertThat(template.with(variant)).isEqualTo(ActionDigest.of("jdbc", "DELETE", "t", attributes, variant));
        }
    }

    @Test
    void hexSpellsAnyLengthAndAPrefixOfABuffer() {
        byte[] bytes = new byte[40];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7 - 100);
        }
        assertThat(Hex.of(bytes)).isEqualTo(java.util.HexFormat.of().formatHex(bytes));
        assertThat(Hex.of(bytes, 32)).isEqualTo(java.util.HexFormat.of().formatHex(bytes, 0, 32));
        assertThat(Hex.of(bytes, 3)).isEqualTo(java.util.HexFormat.of().formatHex(bytes, 0, 3));
        assertThat(Hex.of(new byte[0])).isEmpty();
    }

    @Test
    void theActionDigestIgnoresTheComparatorOfTheGivenMap() {
        TreeMap<String, String> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(Map.of("a", "1", "b", "2"));
        assertThat(ActionDigest.of("s", "o", "t", reversed)).isEqualTo(ActionDigest.of("s", "o", "t", new TreeMap<>(reversed)));
    }

    @Test
    void anUnknownOutcomeIsRefusedWhenTheDraftIsMade() {
        ReceiptDraft d = Drafts.sql(0);
        assertThatThrownBy(() -> new ReceiptDraft(d.id(), d.time(), d.actor(), null, null, d.surface(), d.operation(),
                d.target(), null, Map.of(), "ALLOW", true, List.of(), null, Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ALLOW");
    }

    private static String json(ReceiptDraft d) {
        return new String(Receipt.seal("c", 0, Receipt.GENESIS_PREVIOUS, d).canonicalBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aLongStringOfEscapesAndWideCharactersOutgrowsTheBufferSafely() {
        // The writer sizes its buffer once per string: escapes (6 bytes each) before 2-, 3- and 4-byte characters.
        String s = "\u0001".repeat(700) + "\u00e9".repeat(700) + "\u20ac".repeat(700) + "\uD83D\uDE00".repeat(700);
        String expected = "\"" + "\\u0001".repeat(700) + "\u00e9".repeat(700) + "\u20ac".repeat(700)
                + "\uD83D\uDE00".repeat(700) + "\"";
        CanonicalJsonWriter w = new CanonicalJsonWriter();
        w.value("first").value(s);
        assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("\"first\"," + expected);
    }

    private static String string(String s) {
        CanonicalJsonWriter w = new CanonicalJsonWriter().value(s);
        return new String(w.toByteArray(), StandardCharsets.UTF_8);
    }
}
