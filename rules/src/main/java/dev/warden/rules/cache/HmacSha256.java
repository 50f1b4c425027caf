package dev.warden.rules.cache;

import dev.warden.bootstrap.JdkCrypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256. {@code javax.crypto.Mac} would do the same, but its first use
 * initialises the JCE framework (the providers before SunJCE, the crypto policy files read and parsed): 50 to 75 ms
 * of a start on the way to the host's {@code main}, for the few MACs the cache computes there.
 */
final class HmacSha256 {

    private static final int BLOCK = 64;

    private HmacSha256() {
    }

    static byte[] of(byte[] key, byte[]... parts) throws NoSuchAlgorithmException {
        MessageDigest digest = JdkCrypto.sha256();
        byte[] shortKey = key.length > BLOCK ? digest.digest(key) : key;
        byte[] pad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) ((i < shortKey.length ? shortKey[i] : 0) ^ 0x36);
        }
        digest.update(pad);
        for (byte[] part : parts) {
            digest.update(part);
        }
        byte[] inner = digest.digest();
        for (int i = 0; i < BLOCK; i++) {
            pad[i] ^= 0x36 ^ 0x5c;
        }
        digest.update(pad);
        digest.update(inner);
        return digest.digest();
    }
}
