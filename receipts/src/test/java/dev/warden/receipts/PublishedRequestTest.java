package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request as the gate publishes it, signed with the log's key: every member the approver is shown is covered, so a
 * notice rewritten in the approvals area (a held DELETE shown as a SELECT: a review, 2026-12-06) no longer verifies.
 */
class PublishedRequestTest {

    private static final SigningKey LOG = SigningKey.fromSeed(new byte[32]);
    private static final SigningKey APPROVER = SigningKey.fromSeed(filled(7));

    private final ApprovalRequest held = new ApprovalRequest("0193a8c0-0003-7000-8000-000000000003",
            Instant.parse("2026-12-06T10:00:00Z"), Instant.parse("2026-12-07T10:00:00Z"), "46".repeat(32), 2, 1,
            new TreeMap<>(Map.of("a1", Base64.getEncoder().encodeToString(APPROVER.publicKey().raw()))), "ab".repeat(32),
            "orders-bot", "ulla", "s4", "jdbc", "DELETE", "orders",
            new TreeMap<>(Map.of("jdbc.method", "executeUpdate", "sql.shape", "DELETE FROM orders", "tier", "T2")),
            "tier T2 needs 1 approver within 24h");

    @Test
    void aSignedRequestVerifiesUnderTheLogsKeyAndReadsBackAsSigned() {
        PublishedRequest published = PublishedRequest.sign(held, LOG);
        PublishedRequest read = PublishedRequest.parse(published.toJson());
        assertThat(read).isEqualTo(published);
        assertThat(read.request()).isEqualTo(held);
        assertThat(read.verifiedByAnyOf(List.of(LOG.publicKey()))).isTrue();
        assertThat(read.verifiedByAnyOf(List.of(APPROVER.publicKey(), LOG.publicKey()))).as("any of the given logs").isTrue();
    }

    @Test
    void theSignatureCoversALineOfItsOwnThenTheRequestAsBefore() {
        String signed = new String(PublishedRequest.signedBytes(held), StandardCharsets.UTF_8);
        assertThat(signed).isEqualTo("warden-approval-request/1\n" + new String(held.toJson(), StandardCharsets.UTF_8));
        assertThat(new String(PublishedRequest.sign(held, LOG).toJson(), StandardCharsets.UTF_8))
                .as("the file is the request with one member more").contains("\"session\":\"s4\",\"signature\":\"");
    }

    @Test
    void everyMemberAnApproverReadsIsCovered() {
        String json = new String(PublishedRequest.sign(held, LOG).toJson(), StandardCharsets.UTF_8);
        Map<String, String[]> rewrites = Map.ofEntries(
                Map.entry("what it does", new String[] {"\"operation\":\"DELETE\"", "\"operation\":\"SELECT\""}),
                Map.entry("its statement", new String[] {"DELETE FROM orders\"", "SELECT * FROM orders WHERE id = ?\""}),
                Map.entry("its method", new String[] {"executeUpdate", "executeQuery"}),
                Map.entry("on what", new String[] {"\"target\":\"orders\"", "\"target\":\"order_drafts\""}),
                Map.entry("who asked", new String[] {"orders-bot", "report-bot"}),
                Map.entry("for whom", new String[] {"\"ulla\"", "\"ola\""}),
                Map.entry("in which session", new String[] {"\"s4\"", "\"s5\""}),
                Map.entry("until when", new String[] {"2026-12-07T10", "2026-12-08T10"}),
                Map.entry("its tier", new String[] {"\"tier\":2", "\"tier\":0"}),
                Map.entry("how many approve", new String[] {"\"needs\":1", "\"needs\":2"}),
                Map.entry("why", new String[] {"needs 1 approver", "needs nobody"}),
                Map.entry("its digest", new String[] {"46".repeat(32), "47".repeat(32)}),
                Map.entry("its id", new String[] {"000000000003", "000000000004"}));
        rewrites.forEach((what, rewrite) -> {
            String altered = json.replace(rewrite[0], rewrite[1]);
            assertThat(altered).as(what).isNotEqualTo(json);
            PublishedRequest read = PublishedRequest.parse(altered.getBytes(StandardCharsets.UTF_8));
            assertThat(read.verifiedByAnyOf(List.of(LOG.publicKey()))).as(what).isFalse();
        });
    }

    @Test
    void anotherKeysSignatureAndNoSignatureDoNotVerify() {
        PublishedRequest forged = PublishedRequest.sign(held, APPROVER);
        assertThat(forged.verifiedByAnyOf(List.of(LOG.publicKey()))).isFalse();
        PublishedRequest unsigned = PublishedRequest.parse(held.toJson());
        assertThat(unsigned.signature()).isNull();
        assertThat(unsigned.verifiedByAnyOf(List.of(LOG.publicKey()))).isFalse();
        assertThat(new PublishedRequest(held, "not base64!").verifiedByAnyOf(List.of(LOG.publicKey()))).isFalse();
        assertThat(PublishedRequest.sign(held, LOG).verifiedByAnyOf(List.of())).as("no key given").isFalse();
    }

    @Test
    void aSignatureThatIsNoStringOrAMemberTooManyIsUnreadable() {
        String json = new String(PublishedRequest.sign(held, LOG).toJson(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PublishedRequest.parse(json.replaceFirst("\"signature\":\"[^\"]*\"", "\"signature\":7")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("signature is not a string");
        assertThatThrownBy(() -> PublishedRequest.parse(json.replace("\"v\":1", "\"extra\":1,\"v\":1").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not an approval request");
        assertThatThrownBy(() -> ApprovalRequest.parse(json.getBytes(StandardCharsets.UTF_8)))
                .as("a gate's own copies (snapshots) are never signed").hasMessageContaining("not an approval request");
    }

    private static byte[] filled(int value) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) value);
        return seed;
    }
}
