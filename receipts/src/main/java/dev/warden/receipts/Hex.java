package dev.warden.receipts;

import java.util.HexFormat;

/** Lowercase hexadecimal, the only spelling of hashes in the format. */
final class Hex {
    private static final HexFormat LOWER = HexFormat.of();
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** The value of each byte as a lowercase digit, -1 for any other byte. */
    private static final byte[] VALUES = new byte[256];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < DIGITS.length; i++) {
            VALUES[DIGITS[i]] = (byte) i;
        }
    }

    private Hex() {
    }

    /** The digits of a hash are spelled in the thread's buffer: the String copies them anyway. */
    private static final ThreadLocal<byte[]> SPELLED = ThreadLocal.withInitial(() -> new byte[64]);

    /**
     * A table and one Latin-1 copy: every receipt's hash goes through here ({@link HexFormat} cost several times
     * more). A hash's digits are spelled in the thread's buffer, so the only allocation is the String.
     */
    static String of(byte[] bytes) {
        return of(bytes, bytes.length);
    }

    /** The first {@code length} bytes of {@code bytes}. */
    static String of(byte[] bytes, int length) {
        byte[] out = length <= 32 ? SPELLED.get() : new byte[length * 2];
        spell(bytes, length, out, 0);
        return new String(out, 0, length * 2, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Writes the digits of the first {@code length} bytes of {@code bytes} into {@code out} from {@code at}. */
    static void spell(byte[] bytes, int length, byte[] out, int at) {
        for (int i = 0; i < length; i++) {
            out[at + 2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[at + 2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
    }

    /** The lowercase digit of the low four bits of {@code nibble}. */
    static char digit(int nibble) {
        return (char) DIGITS[nibble & 0xF];
    }

    /**
     * Reads the {@code 2 * into.length} lowercase digits at {@code from[at]} into {@code into}. By table and without a
     * branch per digit: the digits of a hash are random, and a test per digit mispredicts about every other one (reading
     * the previous hash of each receipt this way took a quarter of a replay of the log).
     *
     * @return false when one of them is not a lowercase digit ({@code into} then holds nothing to use)
     */
    static boolean decode(byte[] from, int at, byte[] into) {
        int invalid = 0;
        for (int i = 0; i < into.length; i++) {
            int high = VALUES[from[at + 2 * i] & 0xFF];
            int low = VALUES[from[at + 2 * i + 1] & 0xFF];
            invalid |= high | low; // negative once any is -1
            into[i] = (byte) (high << 4 | low);
        }
        return invalid >= 0;
    }

    /** The value of a lowercase digit, -1 for any other byte. */
    static int value(byte digit) {
        return VALUES[digit & 0xFF];
    }

    static byte[] parse(String hex) {
        return LOWER.parseHex(hex);
    }

    static boolean isSha256(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
