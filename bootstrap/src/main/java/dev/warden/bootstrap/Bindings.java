package dev.warden.bootstrap;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The digests an action binds beyond the facts rules see ({@link ActionRequest#binding()}: a prepared
 * statement's bound values, an HTTP request's body), and the random nonce a value Warden cannot know is
 * bound as, so that an action with such a value is never the same action twice.
 */
public final class Bindings {

    private static final SecureRandom NONCES = JdkCrypto.random();
    private static final byte[] HEX_DIGITS = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private Bindings() {
    }

    public static MessageDigest sha256() {
        return JdkCrypto.sha256();
    }

    /** {@code bytes} fresh random bytes, in lowercase hex. */
    public static String nonce(int bytes) {
        byte[] nonce = new byte[bytes];
        NONCES.nextBytes(nonce);
        return hex(nonce);
    }

    /** A thread's digest (32 bytes) and its spelling (64): finishing a digest allocates only its String. */
    private static final ThreadLocal<byte[]> DIGEST_AND_HEX = ThreadLocal.withInitial(() -> new byte[96]);

    /** Finishes {@code sha} (a SHA-256, which it resets) and returns its lowercase hex: every prepared statement's path. */
    public static String hexDigest(MessageDigest sha) {
        byte[] buffer = DIGEST_AND_HEX.get();
        try {
            if (sha.digest(buffer, 0, 32) != 32) {
                throw new IllegalArgumentException("not a SHA-256: " + sha.getAlgorithm());
            }
        } catch (java.security.DigestException e) {
            throw new IllegalArgumentException("not a SHA-256: " + sha.getAlgorithm(), e);
        }
        for (int i = 0; i < 32; i++) {
            buffer[32 + 2 * i] = HEX_DIGITS[(buffer[i] >> 4) & 0xF];
            buffer[32 + 2 * i + 1] = HEX_DIGITS[buffer[i] & 0xF];
        }
        return new String(buffer, 32, 64, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Lowercase hex; on every receipt's path (bound parameters' digest), so a table and one Latin-1 copy. */
    public static String hex(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xF];
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
