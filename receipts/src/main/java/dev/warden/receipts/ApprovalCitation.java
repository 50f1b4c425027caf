package dev.warden.receipts;

import java.time.Instant;
import java.util.Objects;

/**
 * One approval (or rejection) a receipt cites: its receipt member {@code approvals} is an array of
 * these, in JCS member order {@code approver, decision, expires, request, signature}. The action
 * digest it was signed over is the receipt's own {@code actionDigest}, so a citation copied onto
 * another action's receipt no longer verifies.
 *
 * @param request   the id of the approval request (the HOLD receipt that opened it)
 * @param approver  the approver's name: the stem of its public key file in the policy's approvers directory
 * @param decision  {@code approve} or {@code reject}
 * @param expires   until when the approval may be used
 * @param signature standard base64 of the 64-byte Ed25519 signature over {@link ApprovalStatement#bytes}
 */
public record ApprovalCitation(String request, String approver, String decision, Instant expires, String signature) {

    public ApprovalCitation {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(signature, "signature");
    }

    /** What this citation claims was signed, over {@code actionDigest}. */
    public ApprovalStatement statement(String actionDigest) {
        return new ApprovalStatement(request, actionDigest, decision, expires);
    }

    void encode(CanonicalJsonWriter w) {
        w.beginObject()
                .name("approver").value(approver)
                .name("decision").value(decision)
                .name("expires").asciiValue(Timestamps.format(expires))
                .name("request").value(request)
                .name("signature").value(signature)
                .endObject();
    }

    static ApprovalCitation parse(Object value) throws MalformedReceiptException {
        if (!(value instanceof java.util.Map<?, ?> m) || m.size() != 5) {
            throw new MalformedReceiptException("an approval cited is not an object of approver, decision, expires, request, signature");
        }
        return new ApprovalCitation(text(m, "request"), text(m, "approver"), text(m, "decision"),
                Timestamps.parse(text(m, "expires")), text(m, "signature"));
    }

    private static String text(java.util.Map<?, ?> m, String name) throws MalformedReceiptException {
        if (!(m.get(name) instanceof String s)) {
            throw new MalformedReceiptException("an approval cited has no string " + name);
        }
        return s;
    }
}
