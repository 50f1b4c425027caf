package dev.warden.receipts;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An approval request as the gate publishes it for approvers, signed with the receipt log's key: the request's JSON
 * with one more member, {@code signature}, the standard base64 of an Ed25519 signature over {@link #signedBytes}. The
 * approvals area is a directory the host can write, and what an approver reads there is what the approver signs for:
 * a notice rewritten to show a {@code SELECT} got the approval of the {@code DELETE} the gate held (found by a review,
 * 2026-12-06). The approvers' CLI shows and signs a request only when its signature verifies under the log's public
 * key the approver was given, so every member (what it would do, who asked, for whom, until when, who may approve) is
 * the gate's.
 *
 * @param signature null for a request published without one (by a gate before 2026-12-06): no approver's CLI accepts it
 */
public record PublishedRequest(ApprovalRequest request, String signature) {

    /** The first line of the signed bytes: no checkpoint's (whose second line is a tree size) and no approval's. */
    static final String SIGNED_PREFIX = "warden-approval-request/1\n";

    /**
     * What the gate signs: {@code warden-approval-request/1}, a line feed, then the request's canonical JSON without its
     * signature (the request as receipts' encoding writes it, {@code "v":1}).
     */
    public static byte[] signedBytes(ApprovalRequest request) {
        byte[] prefix = SIGNED_PREFIX.getBytes(StandardCharsets.US_ASCII);
        byte[] json = request.toJson();
        byte[] bytes = new byte[prefix.length + json.length];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        System.arraycopy(json, 0, bytes, prefix.length, json.length);
        return bytes;
    }

    public static PublishedRequest sign(ApprovalRequest request, SigningKey key) {
        return new PublishedRequest(request, Base64.getEncoder().encodeToString(key.sign(signedBytes(request))));
    }

    /** Whether one of {@code keys} signed this request as it reads now. */
    public boolean verifiedByAnyOf(List<VerificationKey> keys) {
        if (signature == null) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        byte[] message = signedBytes(request);
        return keys.stream().anyMatch(key -> key.verify(message, raw));
    }

    public byte[] toJson() {
        return request.toJson(signature);
    }

    /**
     * Reads a published request, signed or not (whether its signature verifies is {@link #verifiedByAnyOf}'s to say).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static PublishedRequest parse(byte[] json) {
        Map<?, ?> m = ApprovalRequest.object(json);
        if (!m.containsKey("signature")) {
            return new PublishedRequest(ApprovalRequest.parse(json), null);
        }
        if (!ApprovalRequest.requestMembers(m.keySet(), "signature")) {
            throw new IllegalArgumentException("not an approval request (format 1)");
        }
        if (!(m.get("signature") instanceof String signature)) {
            throw new IllegalArgumentException("signature is not a string");
        }
        return new PublishedRequest(ApprovalRequest.of(m), signature);
    }
}
