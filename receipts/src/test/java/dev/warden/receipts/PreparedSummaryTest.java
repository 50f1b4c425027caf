package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A summary prepared once per action shape ({@link ReceiptSummary}) changes how receipts are made,
 * never what they are: the same bytes, the same hashes, the same scrubbing.
 */
class PreparedSummaryTest {

    private static final String CHAIN = "c0ffee";
    private static final String PREV = "0123456789abcdef".repeat(4);

    @Test
    void aPreparedSummaryIsSortedAndScrubbedOnce() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("url.path", "/api");
        raw.put("X-Api-Key", "k-123");
        raw.put("db.password", "hunter2");

        ReceiptSummary summary = ReceiptSummary.of(raw);

        assertThat(summary).containsExactly(Map.entry("X-Api-Key", "[redacted]"), Map.entry("db.password", "[redacted]"),
                Map.entry("url.path", "/api"));
        assertThat(ReceiptSummary.of(summary)).isSameAs(summary);
        ReceiptDraft draft = Drafts.withSummary(summary);
        assertThat(draft.summary()).isSameAs(summary);
        assertThat(draft.withSummaryScrubbed()).isSameAs(draft);
    }

    @Test
    void receiptsOfAPreparedSummaryHaveTheBytesOfTheirPlainEncoding() {
        ReceiptSummary summary = ReceiptSummary.of(Map.of("sql", "SELECT \"name\"\n FROM caf\u00e9 WHERE id = ?",
                "tables", "caf\u00e9", "emoji", "\uD83D\uDE00"));
        ReceiptDraft first = Drafts.withSummary(summary);
        List<ReceiptDraft> drafts = List.of(
                first,
                copy(first, "01935f3c-7b2a-7000-8000-000000000001", first.actor(), first.reason()),
                copy(first, "01935f3c-7b2a-7000-8000-000000000002", "another-agent", first.reason()),
                copy(first, "01935f3c-7b2a-7000-8000-000000000003", null, "a \\ different \t reason"),
                withDigest(first, "ab".repeat(32)), // another statement's bound values
                withDigest(first, null),
                first);
        CanonicalJsonWriter templated = new CanonicalJsonWriter();
        long sequence = 0;
        for (ReceiptDraft draft : drafts) {
            Receipt sealed = ReceiptCodec.sealInPlace(templated, sha256(), CHAIN, sequence, Hex.parse(PREV), draft);

            CanonicalJsonWriter plain = new CanonicalJsonWriter();
            ReceiptCodec.encode(plain, Receipt.FORMAT_VERSION, CHAIN, sequence, PREV, draft);
            assertThat(java.util.Arrays.copyOf(templated.buffer(), templated.length())).isEqualTo(plain.toByteArray());
            assertThat(sealed.canonicalBytes()).as("encoded again on demand").isEqualTo(plain.toByteArray());
            assertThat(sealed.leafHashUnsafe()).isEqualTo(TreeHashes.leaf(plain.toByteArray()));
            assertThat(sealed.previousHash()).as("spelled from the previous leaf on demand").isEqualTo(PREV);
            sequence += 1_000_003;
        }
    }

    @Test
    void aTemplateIsKeptOnItsSummaryUntilAnUnchangingMemberDiffers() {
        ReceiptSummary summary = ReceiptSummary.of(Map.of("sql", "SELECT 1"));
        ReceiptDraft draft = Drafts.withSummary(summary);
        CanonicalJsonWriter w = new CanonicalJsonWriter();

        ReceiptCodec.sealInPlace(w, sha256(), CHAIN, 0, Hex.parse(PREV), draft);
        ReceiptTemplate kept = summary.template;
        ReceiptCodec.sealInPlace(w, sha256(), CHAIN, 1, Hex.parse(PREV), copy(draft, "01935f3c-7b2a-7000-8000-000000000009", draft.actor(), draft.reason()));
        assertThat(summary.template).isSameAs(kept);
        ReceiptCodec.sealInPlace(w, sha256(), CHAIN, 2, Hex.parse(PREV), withDigest(draft, "cd".repeat(32)));
        assertThat(summary.template).as("the action digest changes per execution: not part of the template").isSameAs(kept);

        ReceiptCodec.sealInPlace(w, sha256(), CHAIN, 2, Hex.parse(PREV), copy(draft, draft.id(), draft.actor(), "another reason"));
        assertThat(summary.template).isNotSameAs(kept);
    }

    private static ReceiptDraft copy(ReceiptDraft d, String id, String actor, String reason) {
        return new ReceiptDraft(id, d.time().plusNanos(1), actor, d.onBehalfOf(), d.session(), d.surface(), d.operation(),
                d.target(), d.actionDigest(), d.summary(), d.outcome(), d.enforced(), d.rules(), reason, d.obligations(),
                d.policyVersion());
    }

    private static ReceiptDraft withDigest(ReceiptDraft d, String actionDigest) {
        return new ReceiptDraft(d.id(), d.time(), d.actor(), d.onBehalfOf(), d.session(), d.surface(), d.operation(),
                d.target(), actionDigest, d.summary(), d.outcome(), d.enforced(), d.rules(), d.reason(), d.obligations(),
                d.policyVersion());
    }

    private static MessageDigest sha256() {
        return Sha256.newDigest();
    }
}
