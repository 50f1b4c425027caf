package dev.warden.receipts.siem;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.SigningKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SiemFormatTest {
    private static final Instant TIME = Instant.parse("2026-12-01T10:00:00Z");

    private static Receipt receipt(String outcome, boolean enforced) {
        return Receipt.seal("chain-1", 7, Receipt.GENESIS_PREVIOUS, new ReceiptDraft("01935f3c-7b2a-7000-8000-000000000007", TIME,
                "support-bot", "alice", "s-1", "jdbc", "DELETE", "orders", "ab".repeat(32), Map.of("sql", "DELETE FROM orders WHERE id = ?"),
                outcome, enforced, List.of("no-deletes"), "deletes are refused", Map.of(), "cd".repeat(32)));
    }

    @Test
    void ecsMapsARefusalToDeniedFailureWithWardensOwnFields() {
        Receipt r = receipt("DENY", true);
        assertThat(SiemFormat.ECS.receipt(r)).isEqualTo("{\"@timestamp\":\"2026-12-01T10:00:00Z\",\"ecs\":{\"version\":\"8.11.0\"},"
                + "\"event\":{\"kind\":\"event\",\"category\":[\"database\"],\"type\":[\"denied\"],\"action\":\"jdbc-delete\","
                + "\"outcome\":\"failure\",\"id\":\"01935f3c-7b2a-7000-8000-000000000007\",\"sequence\":7,\"reason\":\"deletes are refused\","
                + "\"provider\":\"Warden\",\"dataset\":\"warden.decisions\",\"hash\":\"" + r.hash() + "\"},"
                + "\"rule\":{\"name\":\"no-deletes\",\"ruleset\":\"" + "cd".repeat(32) + "\"},\"user\":{\"name\":\"support-bot\"},"
                + "\"observer\":{\"vendor\":\"Warden\",\"product\":\"Warden\",\"type\":\"agent\"},"
                + "\"warden\":{\"surface\":\"jdbc\",\"operation\":\"DELETE\",\"target\":\"orders\",\"outcome\":\"DENY\",\"enforced\":true,"
                + "\"rules\":[\"no-deletes\"],\"policy_version\":\"" + "cd".repeat(32) + "\",\"on_behalf_of\":\"alice\",\"session\":\"s-1\","
                + "\"action_digest\":\"" + "ab".repeat(32) + "\",\"summary\":{\"sql\":\"DELETE FROM orders WHERE id = ?\"},\"decisions\":1,"
                + "\"receipt\":{\"chain\":\"chain-1\",\"sequence\":7,\"hash\":\"" + r.hash() + "\"}}}");
    }

    @Test
    void ecsMapsARefusalInShadowWhichRanToAnAllowedAlertNamingTheWouldBeDenial() {
        for (String outcome : List.of("DENY", "SILENCE", "HOLD")) {
            String shadow = SiemFormat.ECS.receipt(receipt(outcome, false));
            assertThat(shadow).as(outcome).contains("\"event\":{\"kind\":\"alert\",\"category\":[\"database\"],\"type\":[\"allowed\"],"
                    + "\"action\":\"jdbc-delete\",\"outcome\":\"success\",", "\"rule\":{\"name\":\"no-deletes\"",
                    "\"outcome\":\"" + outcome + "\",\"enforced\":false");
        }
        assertThat(SiemFormat.ECS.receipt(receipt("PERMIT", false)))
                .contains("\"kind\":\"event\"", "\"type\":[\"allowed\"]", "\"outcome\":\"success\"");
        assertThat(SiemFormat.ECS.receipt(receipt("HOLD", true)))
                .contains("\"kind\":\"event\"", "\"type\":[\"info\"]", "\"outcome\":\"unknown\"");
    }

    @Test
    void ocsfIsAnApiActivityWhoseDispositionSaysWhetherTheRefusalWasApplied() {
        String enforced = SiemFormat.OCSF.receipt(receipt("SILENCE", true));
        String shadow = SiemFormat.OCSF.receipt(receipt("SILENCE", false));
        String permit = SiemFormat.OCSF.receipt(receipt("PERMIT", true));
        assertThat(enforced).startsWith("{\"time\":" + TIME.toEpochMilli() + ",\"category_uid\":6,")
                .contains("\"class_uid\":6003", "\"activity_id\":4", "\"type_uid\":600304", "\"status_id\":2",
                        "\"action_id\":2", "\"disposition_id\":2", "\"api\":{\"operation\":\"DELETE\",\"service\":{\"name\":\"jdbc\"}}",
                        "\"resources\":[{\"name\":\"orders\",\"type\":\"jdbc\"}]", "\"unmapped\":{\"warden\":{\"surface\":\"jdbc\"");
        assertThat(shadow).contains("\"status_id\":1", "\"status\":\"Success\"", "\"action_id\":1", "\"disposition_id\":15",
                "\"enforced\":false");
        assertThat(permit).contains("\"status_id\":1", "\"disposition_id\":1");
    }

    @Test
    void checkpointsCarryTheSizeRootAndTheSignedNote() {
        SignedNote note = SignedNote.sign(new Checkpoint("warden.test/log", 42, "abababababababababababababababababababababababababababababababab").body(), "warden.test/log",
                SigningKey.fromSeed(new byte[32]));
        CheckpointEvent event = new CheckpointEvent(TIME, note, false);
        String ecs = SiemFormat.ECS.checkpoint(event);
        assertThat(ecs).contains("\"action\":\"checkpoint-signed\"", "\"dataset\":\"warden.checkpoints\"",
                "\"checkpoint\":{\"origin\":\"warden.test/log\",\"size\":42,\"root_hash\":\"abababababababababababababababababababababababababababababababab\",\"signers\":[\"warden.test/log\"]");
        assertThat(ecs).contains("\"note\":\"" + note.format().replace("\n", "\\n") + "\"");
        assertThat(SiemFormat.OCSF.checkpoint(new CheckpointEvent(TIME, note, true)))
                .contains("\"api\":{\"operation\":\"checkpoint-cosigned\"", "\"size\":42");
    }

    @Test
    void controlCharactersAreEscaped() {
        assertThat(new JsonLine().put("a.b", "x\"\\\n\u0001\u2028").toString()).isEqualTo("{\"a\":{\"b\":\"x\\\"\\\\\\n\\u0001\\u2028\"}}");
    }

    @Test
    void controlsThatEndALineForSomeReaderAreEscapedToo() {
        // NEL (U+0085) ends a line for Python's splitlines(), DEL and the C1 controls move a terminal: none is written raw.
        String line = new JsonLine().put("a.b", "x\u0085{\"forged\":1}\u007f\u009b2J").toString();

        assertThat(line).isEqualTo("{\"a\":{\"b\":\"x\\u0085{\\\"forged\\\":1}\\u007f\\u009b2J\"}}");
        assertThat(line.lines()).hasSize(1);
        assertThat(line.chars()).noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f);
    }

    @Test
    void anEscapedControlCostsWhatItsEscapeTakes() {
        assertThat(JsonLine.cost("a\u0001\u007f\u0085")).isEqualTo(1 + 6 + 6 + 6);
    }

    /** A 57 KB statement naming 1,000 tables, refused by default: the reason lists every table (review, 2026-12-06). */
    private static Receipt huge() {
        StringBuilder tables = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            tables.append(i == 0 ? "" : ",").append("table_with_a_long_name_").append(i);
        }
        Map<String, String> summary = new java.util.TreeMap<>();
        for (int i = 0; i < 200; i++) {
            summary.put("arg." + i, "\u00e9".repeat(1) + "v".repeat(1000));
        }
        summary.put("sql.tables", tables.toString());
        return Receipt.seal("chain-1", 8, Receipt.GENESIS_PREVIOUS, new ReceiptDraft("01935f3c-7b2a-7000-8000-000000000008", TIME,
                "support-bot", "alice", "s-1", "jdbc", "DELETE", "t".repeat(60_000), "ab".repeat(32), summary,
                "SILENCE", true, List.of("warden.no-permit"), "no rule permits DELETE on " + tables, Map.of(), "cd".repeat(32)));
    }

    @Test
    void aLineThatFitsIsTheWholeLine() {
        Receipt r = receipt("DENY", true);
        assertThat(SiemFormat.ECS.receipt(r, 8192)).isEqualTo(SiemFormat.ECS.receipt(r));
        assertThat(SiemFormat.OCSF.receipt(r, 8192)).isEqualTo(SiemFormat.OCSF.receipt(r));
    }

    @Test
    void aHugeRefusalIsCutToTheBoundWithEachCutValueMarkedWithItsLength() {
        Receipt r = huge();
        for (SiemFormat format : SiemFormat.values()) {
            String whole = format.receipt(r);
            String cut = format.receipt(r, 8192);
            assertThat(SiemFormat.cost(whole)).isGreaterThan(100_000);
            assertThat(SiemFormat.cost(cut)).as(format + " fits").isLessThanOrEqualTo(8192);
            assertThat(cut).as("still what was decided, and by which receipt")
                    .contains(r.id(), r.hash(), "\"SILENCE\"", "warden.no-permit", "ab".repeat(32), "cd".repeat(32))
                    .contains("no rule permits DELETE on table_with_a_long_name_0,")
                    .contains("...[cut: " + r.reason().length() + " chars]")
                    .contains("...[cut: 60000 chars]")
                    .contains("[cut: ").contains(" more entries]");
            assertThat(closesEveryObject(cut)).as("cut inside its values, never its structure").isTrue();
        }
    }

    @Test
    void nonAsciiCountsAsItsEscapeAndIsNeverCutInHalf() {
        Receipt r = Receipt.seal("chain-1", 9, Receipt.GENESIS_PREVIOUS, new ReceiptDraft("01935f3c-7b2a-7000-8000-000000000009", TIME,
                "support-bot", null, null, "tool", "call", "\ud83d\ude00".repeat(20_000), "ab".repeat(32), Map.of(),
                "DENY", true, List.of("r"), "\u00e9".repeat(20_000), Map.of(), "cd".repeat(32)));
        String cut = SiemFormat.ECS.receipt(r, 8192);
        assertThat(SiemFormat.cost(cut)).isLessThanOrEqualTo(8192);
        assertThat(cut).contains("...[cut: 40000 chars]", "...[cut: 20000 chars]");
        for (int i = 0; i < cut.length(); i++) {
            if (Character.isHighSurrogate(cut.charAt(i))) {
                assertThat(Character.isLowSurrogate(cut.charAt(i + 1))).isTrue();
            }
        }
    }

    /** Whether every brace and bracket outside a string closes, and the line ends with the last. */
    private static boolean closesEveryObject(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0 && i != json.length() - 1) {
                    return false;
                }
            }
        }
        return depth == 0 && !inString;
    }
}
