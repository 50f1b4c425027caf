package dev.warden.bootstrap.jdbc;

/**
 * A long's decimal text ({@link Long#toString(long)}'s), written digit by digit: the digest of a statement's
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

    /** Puts the characters of {@code Long.toString(n)}. */
    static void write(DigestBuffer sha, long n) {
        if (n == Long.MIN_VALUE) {
            sha.put(Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // no positive twin
            return;
        }
        if (n < 0) {
            sha.put((byte) '-');
            n = -n;
        }
        int digits = length(n);
        for (int i = digits - 1; i >= 0; i--) {
            sha.put((byte) ('0' + n / POWERS[i] % 10));
        }
    }
}
