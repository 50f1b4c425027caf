package dev.warden.receipts;

import java.util.HexFormat;

/** Lowercase hexadecimal, the only spelling of hashes in the format. */
final class Hex {
    private static final HexFormat LOWER = HexFormat.of();
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Hex() {
    }

    /** A table and one Latin-1 copy: every receipt's hash goes through here ({@link HexFormat} cost several times more). */
    static String of(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
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
