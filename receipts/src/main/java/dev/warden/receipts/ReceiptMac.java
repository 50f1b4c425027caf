package dev.warden.receipts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The writer's proof that it wrote a receipt excerpt: HMAC-SHA256 of the recorded leaf hash,
 * truncated to 16 bytes, under a key derived from the signing key's seed. A restarted writer checks
 * it on the unsigned tail it finds, so it never signs receipts somebody else appended (an attacker
 * with the directory but without the signing key cannot compute it). Verifiers do not hold the key
 * and cannot check it; the signed recovery receipt carries the writer's verdict to them.
 *
 * <p>HMAC (RFC 2104) computed with two reused digests and fixed pads, so the hot path costs four
 * SHA-256 compressions and allocates nothing. Not thread-safe: the log calls it under its lock.
 */
final class ReceiptMac {
    static final int LENGTH = 16;
    private static final int BLOCK = 64;
    private static final byte[] DERIVATION_LABEL = "warden receipt MAC key v1\n".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest inner = Sha256.newDigest();
    private final MessageDigest outer = Sha256.newDigest();
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] scratch = new byte[32];

    private ReceiptMac(byte[] key) {
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    /** MAC key = SHA-256("warden receipt MAC key v1\n" || the 32-byte Ed25519 seed). */
    static ReceiptMac of(SigningKey key) {
        MessageDigest d = Sha256.newDigest();
        d.update(DERIVATION_LABEL);
        byte[] seed = key.seed();
        d.update(seed);
        Arrays.fill(seed, (byte) 0);
        return new ReceiptMac(d.digest());
    }

    /** Writes the MAC of {@code leafHash} into {@code out[0..16)}. */
    void mac(byte[] leafHash, byte[] out) {
        try {
            inner.update(innerPad);
            inner.update(leafHash, 0, 32);
            inner.digest(scratch, 0, 32);
            outer.update(outerPad);
            outer.update(scratch);
            outer.digest(scratch, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digest of 32 bytes into 32 bytes", e);
        }
        System.arraycopy(scratch, 0, out, 0, LENGTH);
    }

    boolean matches(byte[] leafHash, byte[] mac) {
        byte[] expected = new byte[LENGTH];
        mac(leafHash, expected);
        return mac != null && MessageDigest.isEqual(expected, mac);
    }
}
