package dev.warden.bootstrap.jdbc;

import java.security.MessageDigest;

/**
 * A long's decimal text ({@link Long#toString(long)}'s), digested digit by digit: the digest of a statement's
 * parameters is computed at every execution, and the strings of its numbers were most of its garbage.
 */
final class Decimal {

    private static final long[] POWERS = new long[19];

    static {
        long power = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = power;
            power *= 10;
        }
    }

    private Decimal() {
    }

    /** How many characters {@code Long.toString(n)} has. */
    static int length(long n) {
        if (n == Long.MIN_VALUE) {
            return 20;
        }
        long magnitude = Math.abs(n);
        int digits = 1;
        while (digits < POWERS.length && magnitude >= POWERS[digits]) {
            digits++;
        }
        return n < 0 ? digits + 1 : digits;
    }

    /** Digests the characters of {@code Long.toString(n)}. */
    static void update(MessageDigest sha, long n) {
        update(sha, n, -1);
    }

    /**
     * Digests the characters of {@code Long.toString(n)}, then {@code then} if it is a byte (0 to 255), in one update:
     * a digest's update costs the same for one byte as for twenty, and a statement's parameters are digested at
     * every execution.
     */
    static void update(MessageDigest sha, long n, int then) {
        if (n == Long.MIN_VALUE) {
            sha.update(Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // no positive twin
            if (then >= 0) {
                sha.update((byte) then);
            }
            return;
        }
        byte[] text = new byte[21]; // a sign, 19 digits, and the byte after
        int length = length(n);
        int at = length;
        if (then >= 0) {
            text[at] = (byte) then;
        }
        for (long rest = Math.abs(n); at > (n < 0 ? 1 : 0); rest /= 10) {
            text[--at] = (byte) ('0' + rest % 10);
        }
        if (n < 0) {
            text[0] = '-';
        }
        sha.update(text, 0, then >= 0 ? length + 1 : length);
    }
}
