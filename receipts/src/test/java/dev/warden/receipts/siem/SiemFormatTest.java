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
    void ocsfIsAnApiActivityWhoseDispositionSaysWhetherTheRefusalWasApplied() {
        String enforced = SiemFormat.OCSF.receipt(receipt("SILENCE", true));
        String shadow = SiemFormat.OCSF.receipt(receipt("SILENCE", false));
        String permit = SiemFormat.OCSF.receipt(receipt("PERMIT", true));
        assertThat(enforced).startsWith("{\"time\":" + TIME.toEpochMilli() + ",\"category_uid\":6,")
                .contains("\"class_uid\":6003", "\"activity_id\":4", "\"type_uid\":600304", "\"status_id\":2",
                        "\"action_id\":2", "\"disposition_id\":2", "\"api\":{\"operation\":\"DELETE\",\"service\":{\"name\":\"jdbc\"}}",
                        "\"resources\":[{\"name\":\"orders\",\"type\":\"jdbc\"}]", "\"unmapped\":{\"warden\":{\"surface\":\"jdbc\"");
        assertThat(shadow).contains("\"action_id\":1", "\"disposition_id\":15", "\"enforced\":false");
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
}
