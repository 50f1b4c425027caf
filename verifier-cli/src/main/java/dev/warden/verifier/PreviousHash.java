package dev.warden.verifier;

import java.util.HexFormat;

/**
 * The hash the next receipt's {@code prev} must name: the recorded hash of the receipt before it, or a hash a
 * receipt names. Compared with each {@code prev} as it is; put into hex only when a problem quotes it, since
 * formatting a million hashes costs more than comparing them.
 */
final class PreviousHash {
    private static final String DIGITS = "0123456789abcdef";

    private byte[] bytes;
    private String hex;

    void set(byte[] recorded) {
        bytes = recorded;
        hex = null;
    }

    void set(String named) {
        bytes = null;
        hex = named;
    }

    /** Whether {@code prev} is this hash in lowercase hex, as {@code toString().equals(prev)}; false while none is set. */
    boolean is(String prev) {
        if (bytes == null) {
            return hex != null && hex.equals(prev);
        }
        if (prev.length() != 2 * bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (prev.charAt(2 * i) != DIGITS.charAt(bytes[i] >> 4 & 0xf) || prev.charAt(2 * i + 1) != DIGITS.charAt(bytes[i] & 0xf)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        if (hex == null && bytes != null) {
            hex = HexFormat.of().formatHex(bytes);
        }
        return String.valueOf(hex);
    }
}
