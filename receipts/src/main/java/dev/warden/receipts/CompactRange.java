package dev.warden.receipts;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 6962 tree of everything appended so far, kept as the roots of its perfect subtrees
 * (largest first): O(log n) memory and on average one node hash per leaf. Not thread-safe.
 *
 * <p>The roots live in one 32-byte slot per level, hashed into in place: an append allocates nothing (the
 * signer appends every receipt's leaf, the verifier every leaf of the log).
 */
public final class CompactRange {
    private static final int HASH = 32;

    private final MessageDigest digest = Sha256.newDigest();
    /** The root of the perfect subtree of 2^level leaves, for each level whose bit is set in {@link #size}. */
    private final byte[][] roots = new byte[Long.SIZE][];
    /** The subtree the appended leaf completes, merged level by level. */
    private final byte[] carry = new byte[HASH];
    private long size;

    public CompactRange() {
    }

    /** Resumes a tree from the frontier a checkpoint recorded: one root per bit set in {@code size}. */
    public static CompactRange restore(long size, List<byte[]> frontier) {
        if (size < 0 || Long.bitCount(size) != frontier.size()) {
            throw new IllegalArgumentException("a tree of " + size + " leaves has " + Long.bitCount(size) + " subtree roots");
        }
        CompactRange range = new CompactRange();
        int next = 0;
        for (int level = Long.SIZE - 1; level >= 0; level--) { // the frontier is largest first
            if ((size >>> level & 1) == 1) {
                range.slot(level, frontier.get(next++));
            }
        }
        range.size = size;
        return range;
    }

    public void append(byte[] leafHash) {
        System.arraycopy(requireHash(leafHash), 0, carry, 0, HASH);
        int level = 0;
        // Each trailing one bit of the old size is a complete subtree of the new leaf's size: merge it.
        for (long s = size; (s & 1) == 1; s >>>= 1, level++) {
            node(roots[level], carry, carry);
        }
        slot(level, carry);
        size++;
    }

    public long size() {
        return size;
    }

    /** MTH of all leaves: the subtree roots folded from the smallest (rightmost) up. */
    public byte[] root() {
        if (size == 0) {
            return TreeHashes.emptyRoot();
        }
        int level = Long.numberOfTrailingZeros(size);
        byte[] r = roots[level].clone();
        for (level++; level < Long.SIZE; level++) {
            if ((size >>> level & 1) == 1) {
                node(roots[level], r, r);
            }
        }
        return r;
    }

    public List<byte[]> frontier() {
        List<byte[]> frontier = new ArrayList<>(Long.bitCount(size));
        for (int level = Long.SIZE - 1; level >= 0; level--) {
            if ((size >>> level & 1) == 1) {
                frontier.add(roots[level].clone());
            }
        }
        return List.copyOf(frontier);
    }

    private void slot(int level, byte[] hash) {
        if (roots[level] == null) {
            roots[level] = new byte[HASH];
        }
        System.arraycopy(requireHash(hash), 0, roots[level], 0, HASH);
    }

    /** {@code into} = SHA-256(0x01 || left || right) ({@link TreeHashes#node}); {@code into} may be {@code right}. */
    private void node(byte[] left, byte[] right, byte[] into) {
        digest.reset();
        digest.update(TreeHashes.NODE_PREFIX);
        digest.update(left);
        digest.update(right); // taken in before the digest is written over it
        try {
            digest.digest(into, 0, HASH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 into 32 bytes", e);
        }
    }

    private static byte[] requireHash(byte[] hash) {
        if (hash.length != HASH) {
            throw new IllegalArgumentException("a tree hash is 32 bytes, not " + hash.length);
        }
        return hash;
    }
}
