package dev.warden.receipts;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 6962 tree of everything appended so far, kept as the roots of its perfect subtrees
 * (largest first): O(log n) memory and on average one node hash per leaf. Not thread-safe.
 */
public final class CompactRange {
    private final MessageDigest digest = Sha256.newDigest();
    private final List<byte[]> roots = new ArrayList<>();
    private long size;

    public CompactRange() {
    }

    /** Resumes a tree from the frontier a checkpoint recorded: one root per bit set in {@code size}. */
    public static CompactRange restore(long size, List<byte[]> frontier) {
        if (Long.bitCount(size) != frontier.size()) {
            throw new IllegalArgumentException("a tree of " + size + " leaves has " + Long.bitCount(size) + " subtree roots");
        }
        CompactRange range = new CompactRange();
        frontier.forEach(h -> range.roots.add(h.clone()));
        range.size = size;
        return range;
    }

    public void append(byte[] leafHash) {
        byte[] h = leafHash;
        // Each trailing one bit of the old size is a complete subtree of the new leaf's size: merge it.
        for (long s = size; (s & 1) == 1; s >>>= 1) {
            h = TreeHashes.node(digest, roots.remove(roots.size() - 1), h);
        }
        roots.add(h);
        size++;
    }

    public long size() {
        return size;
    }

    /** MTH of all leaves: the subtree roots folded from the smallest (rightmost) up. */
    public byte[] root() {
        if (roots.isEmpty()) {
            return TreeHashes.emptyRoot();
        }
        byte[] r = roots.get(roots.size() - 1);
        for (int i = roots.size() - 2; i >= 0; i--) {
            r = TreeHashes.node(digest, roots.get(i), r);
        }
        return r;
    }

    public List<byte[]> frontier() {
        return roots.stream().map(byte[]::clone).toList();
    }
}
