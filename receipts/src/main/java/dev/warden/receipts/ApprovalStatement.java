package dev.warden.receipts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What an approver signs: the request, the exact action (its digest), the decision and until when it
 * holds. The signed bytes are five lines of ASCII, each ending in one LF, nothing else:
 * <pre>
 * warden-approval/1
 * request 0193a8c0-0003-7000-8000-000000000003
 * digest 46c12ee32be5ac487d4a17832653bca0c614ba40a7d1b5f99508f346b6f12289
 * decision approve
 * expires 2026-11-23T10:15:32.000000250Z
 * </pre>
 * Every field is checked before anything is signed or verified, so no field can smuggle in a line.
 */
public record ApprovalStatement(String request, String digest, String decision, Instant expires) {

    public static final String APPROVE = "approve";
    public static final String REJECT = "reject";
    static final String MAGIC = "warden-approval/1";
    private static final Pattern REQUEST = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** @throws IllegalArgumentException naming the field that is not what an approval holds */
    public ApprovalStatement {
        if (request == null || !REQUEST.matcher(request).matches()) {
            throw new IllegalArgumentException("request id '" + request + "' is not a lowercase UUID");
        }
        if (digest == null || !Hex.isSha256(digest)) {
            throw new IllegalArgumentException("action digest '" + digest + "' is not a lowercase hex SHA-256");
        }
        if (!APPROVE.equals(decision) && !REJECT.equals(decision)) {
            throw new IllegalArgumentException("decision '" + decision + "' is neither approve nor reject");
        }
        if (expires == null) {
            throw new IllegalArgumentException("an approval needs an expiry");
        }
        Timestamps.format(expires); // years 0000-9999 only
    }

    /** Whether {@code text} is a request id as approvals name them. */
    public static boolean isRequestId(String text) {
        return text != null && REQUEST.matcher(text).matches();
    }

    public boolean approves() {
        return APPROVE.equals(decision);
    }

    /** The exact bytes the Ed25519 signature covers. */
    public byte[] bytes() {
        return (MAGIC + "\nrequest " + request + "\ndigest " + digest + "\ndecision " + decision + "\nexpires "
                + Timestamps.format(expires) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Signs this statement: the approver's side. */
    public String signBase64(SigningKey key) {
        return java.util.Base64.getEncoder().encodeToString(key.sign(bytes()));
    }

    /** Whether {@code signatureBase64} is {@code key}'s signature over this statement; false for anything unreadable. */
    public boolean verifiedBy(VerificationKey key, String signatureBase64) {
        byte[] signature;
        try {
            signature = java.util.Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        return key.verify(bytes(), signature);
    }

    /** The timestamp as approvals and receipts write it. */
    public static String time(Instant instant) {
        return Timestamps.format(instant);
    }

    /** @throws IllegalArgumentException when {@code text} is not a receipt timestamp */
    public static Instant parseTime(String text) {
        try {
            return Timestamps.parse(text);
        } catch (MalformedReceiptException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
