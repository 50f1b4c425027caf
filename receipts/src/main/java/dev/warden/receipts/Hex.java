package dev.warden.receipts;

import java.util.HexFormat;

/** Lowercase hexadecimal, the only spelling of hashes in the format. */
final class Hex {
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    static String of(byte[] bytes) {
        return LOWER.formatHex(bytes);
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
