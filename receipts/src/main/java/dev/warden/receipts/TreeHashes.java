package dev.warden.receipts;

import java.security.MessageDigest;

/**
 * RFC 6962 / RFC 9162 §2.1.1 hashing. The leaf hash of a receipt is also its chain hash, so one
 * value links the chain and places the receipt in the Merkle tree.
 */
public final class TreeHashes {
    private static final byte LEAF_PREFIX = 0x00;
    static final byte NODE_PREFIX = 0x01;

    // MessageDigest.getInstance costs more than hashing a receipt; digests are reset before each use.
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

    private TreeHashes() {
    }

    /** SHA-256(0x00 || data). */
    public static byte[] leaf(byte[] data) {
        return leaf(DIGEST.get(), data, 0, data.length);
    }

    static byte[] leaf(MessageDigest digest, byte[] data, int offset, int length) {
        digest.reset();
        digest.update(LEAF_PREFIX);
        digest.update(data, offset, length);
        return digest.digest();
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] node(byte[] left, byte[] right) {
        return node(DIGEST.get(), left, right);
    }

    static byte[] node(MessageDigest digest, byte[] left, byte[] right) {
        digest.reset();
        digest.update(NODE_PREFIX);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** The root of the empty tree: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return Sha256.of(new byte[0]);
    }
}
