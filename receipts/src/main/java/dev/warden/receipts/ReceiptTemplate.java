package dev.warden.receipts;

import java.util.Objects;

/**
 * A receipt's canonical encoding with the members that change from receipt to receipt left out
 * ({@code id}, {@code prev}, {@code seq}, {@code time}): made once per action shape and kept on its
 * {@link ReceiptSummary}, so the receipt of a repeated action is encoded by copying bytes instead of
 * escaping every string again. The bytes are exactly what {@link ReceiptCodec#encode} writes.
 */
final class ReceiptTemplate {

    private final int version;
    private final String chain;
    private final ReceiptDraft shape; // only the members that do not change per receipt are compared
    private final byte[] untilId;
    private final byte[] untilPrev;
    private final byte[] untilSeq;
    private final byte[] untilTime;
    private final byte[] end;

    private ReceiptTemplate(int version, String chain, ReceiptDraft shape, CanonicalJsonWriter w) {
        this.version = version;
        this.chain = chain;
        this.shape = shape;
        // Each run starts where the previous changing member's value ended, so all but the first open with a comma.
        untilId = run(w.reset().beginObject()
                .name("actionDigest").value(shape.actionDigest())
                .name("actor").value(shape.actor())
                .name("chain").value(chain)
                .name("enforced").value(shape.enforced())
                .name("id"));
        untilPrev = run(w.reset().afterValue()
                .name("obligations").value(shape.obligations())
                .name("onBehalfOf").value(shape.onBehalfOf())
                .name("operation").value(shape.operation())
                .name("outcome").value(shape.outcome())
                .name("policyVersion").value(shape.policyVersion())
                .name("prev"));
        untilSeq = run(w.reset().afterValue()
                .name("reason").value(shape.reason())
                .name("rules").value(shape.rules())
                .name("seq"));
        untilTime = run(w.reset().afterValue()
                .name("session").value(shape.session())
                .name("summary").value(shape.summary())
                .name("surface").value(shape.surface())
                .name("target").value(shape.target())
                .name("time"));
        end = run(w.reset().afterValue()
                .name("v").value(version)
                .endObject());
    }

    /** The template for {@code draft}'s shape: its summary's, or a new one kept there. */
    static ReceiptTemplate forDraft(CanonicalJsonWriter w, int version, String chain, ReceiptDraft draft,
                                    ReceiptSummary summary) {
        ReceiptTemplate kept = summary.template;
        if (kept != null && kept.fits(version, chain, draft)) {
            return kept;
        }
        ReceiptTemplate made = new ReceiptTemplate(version, chain, draft, w);
        summary.template = made;
        return made;
    }

    void encode(CanonicalJsonWriter w, long sequence, String previousHash, ReceiptDraft draft) {
        w.reset()
                .raw(untilId).value(draft.id())
                .raw(untilPrev).asciiValue(previousHash)
                .raw(untilSeq).value(sequence)
                .raw(untilTime).asciiValue(Timestamps.format(draft.time()))
                .raw(end);
    }

    private boolean fits(int version, String chain, ReceiptDraft d) {
        ReceiptDraft s = shape;
        return version == this.version && chain.equals(this.chain)
                && s.summary() == d.summary()
                && s.enforced() == d.enforced()
                && Objects.equals(s.actionDigest(), d.actionDigest())
                && Objects.equals(s.actor(), d.actor())
                && Objects.equals(s.onBehalfOf(), d.onBehalfOf())
                && Objects.equals(s.session(), d.session())
                && s.surface().equals(d.surface())
                && s.operation().equals(d.operation())
                && Objects.equals(s.target(), d.target())
                && s.outcome().equals(d.outcome())
                && Objects.equals(s.policyVersion(), d.policyVersion())
                && Objects.equals(s.reason(), d.reason())
                && s.rules().equals(d.rules())
                && s.obligations().equals(d.obligations());
    }

    private static byte[] run(CanonicalJsonWriter w) {
        return w.toByteArray();
    }
}
