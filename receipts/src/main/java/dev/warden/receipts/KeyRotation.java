package dev.warden.receipts;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The receipt that hands a log from one signing key to the next (surface {@code warden}, operation
 * {@code rotate-key}). The old key's writer appends it, MACs it, and signs the checkpoint covering it
 * with both keys; from that checkpoint on only the new key signs. So a verifier given the log's first
 * public key follows every key in its period. Format: docs/RECEIPTS.md, "Key rotation".
 */
public final class KeyRotation {
    public static final String SURFACE = "warden";
    public static final String OPERATION = "rotate-key";
    public static final String RULE = "warden.key-rotation";
    /** Summary members: standard base64 (with padding) of the raw 32-byte Ed25519 public keys. */
    public static final String NEW_KEY = "key";
    public static final String PREVIOUS_KEY = "previousKey";

    private KeyRotation() {
    }

    static ReceiptDraft draft(VerificationKey from, VerificationKey to, Instant now) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put(NEW_KEY, encode(to));
        summary.put(PREVIOUS_KEY, encode(from));
        return new ReceiptDraft(Recovery.newId(), now, "warden", null, null, SURFACE, OPERATION, null, null, summary, "PERMIT",
                true, List.of(RULE), "signing key rotated: checkpoints from the next one on are signed by key " + encode(to)
                + " (the next checkpoint by both keys)", Map.of(), null);
    }

    public static boolean is(Receipt r) {
        return SURFACE.equals(r.surface()) && OPERATION.equals(r.operation()) && r.rules().contains(RULE);
    }

    /** The key a rotation receipt hands the log to, if it is one and names a well-formed key. */
    public static Optional<VerificationKey> newKey(Receipt r) {
        return is(r) ? decode(r.summary().get(NEW_KEY)) : Optional.empty();
    }

    /** The key a rotation receipt hands the log from. */
    public static Optional<VerificationKey> previousKey(Receipt r) {
        return is(r) ? decode(r.summary().get(PREVIOUS_KEY)) : Optional.empty();
    }

    public static String encode(VerificationKey key) {
        return Base64.getEncoder().encodeToString(key.raw());
    }

    private static Optional<VerificationKey> decode(String base64) {
        try {
            return base64 == null ? Optional.empty() : Optional.of(new VerificationKey(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
