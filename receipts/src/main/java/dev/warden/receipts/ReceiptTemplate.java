package dev.warden.receipts;

import java.util.Objects;

/**
 * A receipt's canonical encoding with the members that change from receipt to receipt left out
 * ({@code actionDigest}, {@code id}, {@code prev}, {@code seq}, {@code time}): made once per action shape and kept on its
 * {@link ReceiptSummary}, so the receipt of a repeated action is encoded by copying bytes instead of
 * escaping every string again. The bytes are exactly what {@link ReceiptCodec#encode} writes.
 */
final class ReceiptTemplate {

    private final int version;
    private final String chain;
    private final ReceiptDraft shape; // only the members that do not change per receipt are compared
    private final byte[] untilActionDigest;
    private final byte[] untilId;
    private final byte[] untilPrev;
    private final byte[] untilSeq;
    private final byte[] untilTime;
    private final byte[] end;

    private ReceiptTemplate(int version, String chain, ReceiptDraft shape, CanonicalJsonWriter w) {
        this.version = version;
        this.chain = chain;
        this.shape = shape;
        // Each run but the first starts after a value, with a comma: afterValue() puts the writer there.
        untilActionDigest = run(ReceiptCodec.untilActionDigest(w.reset()));
        untilId = run(ReceiptCodec.untilId(w.reset().afterValue(), chain, shape));
        untilPrev = run(ReceiptCodec.untilPrev(w.reset().afterValue(), shape));
        untilSeq = run(ReceiptCodec.untilSeq(w.reset().afterValue(), shape));
        untilTime = run(ReceiptCodec.untilTime(w.reset().afterValue(), shape));
        ReceiptCodec.end(w.reset().afterValue(), version);
        end = run(w);
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

    /** @param previousLeaf the previous receipt's leaf hash, spelled in place as {@code prev} */
    void encode(CanonicalJsonWriter w, long sequence, byte[] previousLeaf, ReceiptDraft draft) {
        w.reset()
                .raw(untilActionDigest).value(draft.actionDigest())
                .raw(untilId).value(draft.id())
                .raw(untilPrev).hexValue(previousLeaf)
                .raw(untilSeq).value(sequence)
                .raw(untilTime).timeValue(draft.time())
                .raw(end);
    }

    private boolean fits(int version, String chain, ReceiptDraft d) {
        ReceiptDraft s = shape;
        return version == this.version && chain.equals(this.chain)
                && s.summary() == d.summary()
                && s.enforced() == d.enforced()
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
                && s.obligations().equals(d.obligations())
                && s.approvals().equals(d.approvals());
    }

    private static byte[] run(CanonicalJsonWriter w) {
        return w.toByteArray();
    }
}
