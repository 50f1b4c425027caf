package dev.warden.receipts;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/** An Ed25519 public key: checks checkpoint signatures. */
public record VerificationKey(byte[] raw) {
    /** Signature type byte of Ed25519 in the C2SP signed-note key hash. */
    static final byte SIGNED_NOTE_ED25519 = 0x01;

    public VerificationKey {
        if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + raw.length);
        }
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public boolean verify(byte[] message, byte[] signature) {
        if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /**
     * The signed-note key hash: the first four bytes of SHA-256(key name || "\n" || 0x01 || key), big-endian.
     * It lets a verifier pick its key among a note's signatures, and tells "signed by another key" apart.
     */
    public int keyHash(String keyName) {
        return keyHash(keyName, SIGNED_NOTE_ED25519);
    }

    /** The key hash for another signed-note signature type (0x04: a tlog-cosignature/v1 witness key). */
    int keyHash(String keyName, byte signatureType) {
        MessageDigest d = Sha256.newDigest();
        d.update(keyName.getBytes(StandardCharsets.UTF_8));
        d.update((byte) '\n');
        d.update(signatureType);
        d.update(raw);
        byte[] h = d.digest();
        return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | h[3] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerificationKey k && Arrays.equals(raw, k.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "VerificationKey[" + Hex.of(raw) + "]";
    }
}
