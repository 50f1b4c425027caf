package dev.warden.verifier;

import dev.warden.receipts.Receipt;

import java.util.HexFormat;

/**
 * The hash the next receipt's {@code prev} must name: the recorded hash of the receipt before it, or a hash a
 * receipt names. Compared with each {@code prev} as it is; put into hex only when a problem quotes it, since
 * formatting a million hashes costs more than comparing them.
 */
final class PreviousHash {
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

    /** Whether {@code receipt}'s {@code prev} names this hash, as {@code receipt.previousHash().equals(toString())} would, without the hex. */
    boolean isFollowedBy(Receipt receipt) {
        if (bytes == null) {
            return hex != null && hex.equals(receipt.previousHash());
        }
        return receipt.follows(bytes);
    }

    @Override
    public String toString() {
        if (hex == null && bytes != null) {
            hex = HexFormat.of().formatHex(bytes);
        }
        return String.valueOf(hex);
    }
}
