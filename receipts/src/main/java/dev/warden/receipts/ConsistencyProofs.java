package dev.warden.receipts;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9162 §2.1.4 (RFC 6962 §2.1.2) Merkle consistency proofs: that the tree of the first {@code m}
 * leaves is a prefix of the tree of the first {@code n}.
 *
 * <p>A writer proves consistency from what it already keeps: the frontier of the old tree (the roots
 * of its perfect subtrees) and the leaves appended since. That is enough because every node of a
 * proof lies wholly before {@code m} — then it is one of the old frontier's roots — or wholly at or
 * after it.
 */
public final class ConsistencyProofs {
    /** tlog-witness accepts at most 63 proof lines; a proof between trees below 2^63 leaves is shorter. */
    public static final int MAX_PROOF_LENGTH = 63;

    private ConsistencyProofs() {
    }

    /**
     * PROOF(m, D[n]) for the tree of {@code oldSize} leaves, given by its frontier, grown by
     * {@code appended}; empty when {@code oldSize} is 0 or nothing was appended.
     */
    public static List<byte[]> prove(long oldSize, List<byte[]> oldFrontier, List<byte[]> appended) {
        if (Long.bitCount(oldSize) != oldFrontier.size()) {
            throw new IllegalArgumentException("a tree of " + oldSize + " leaves has " + Long.bitCount(oldSize)
                    + " subtree roots, not " + oldFrontier.size());
        }
        long newSize = oldSize + appended.size();
        List<byte[]> proof = new ArrayList<>();
        if (oldSize == 0 || oldSize == newSize) {
            return proof;
        }
        new Prover(oldSize, oldFrontier, appended).subproof(oldSize, 0, newSize, true, proof);
        return proof;
    }

    /**
     * RFC 9162 §2.1.4.2: true when {@code proof} shows the tree ({@code oldSize}, {@code oldRoot}) is
     * a prefix of ({@code newSize}, {@code newRoot}). Equal sizes need an empty proof and equal roots;
     * from the empty tree, an empty proof.
     */
    public static boolean verify(long oldSize, byte[] oldRoot, long newSize, byte[] newRoot, List<byte[]> proof) {
        if (oldSize < 0 || newSize < oldSize || proof.size() > MAX_PROOF_LENGTH) {
            return false;
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && Arrays.equals(oldRoot, newRoot);
        }
        if (oldSize == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(oldSize) == 1) {
            path.add(0, oldRoot);
        }
        MessageDigest digest = Sha256.newDigest();
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = TreeHashes.node(digest, c, fr);
                sr = TreeHashes.node(digest, c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = TreeHashes.node(digest, sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && Arrays.equals(fr, oldRoot) && Arrays.equals(sr, newRoot);
    }

    /** SUBPROOF of RFC 9162 §2.1.4.1 over the virtual leaves [0, n): old ones by frontier, new ones listed. */
    private static final class Prover {
        private final MessageDigest digest = Sha256.newDigest();
        private final long oldSize;
        private final Map<Long, byte[]> oldSubtrees = new HashMap<>(); // start of a frontier subtree -> its root
        private final Map<Long, Long> oldSubtreeSizes = new HashMap<>();
        private final List<byte[]> appended;

        Prover(long oldSize, List<byte[]> frontier, List<byte[]> appended) {
            this.oldSize = oldSize;
            this.appended = appended;
            long start = 0;
            int i = 0;
            for (int bit = 63; bit >= 0; bit--) {
                if ((oldSize >>> bit & 1) == 1) {
                    oldSubtrees.put(start, frontier.get(i++));
                    oldSubtreeSizes.put(start, 1L << bit);
                    start += 1L << bit;
                }
            }
        }

        // D[from, from + n), m of them in the old tree; b: whether this subtree's root is implied by the old root.
        void subproof(long m, long from, long n, boolean b, List<byte[]> out) {
            if (m == n) {
                if (!b) {
                    out.add(hash(from, n));
                }
                return;
            }
            long k = Long.highestOneBit(n - 1);
            if (m <= k) {
                subproof(m, from, k, b, out);
                out.add(hash(from + k, n - k));
            } else {
                subproof(m - k, from + k, n - k, false, out);
                out.add(hash(from, k));
            }
        }

        private byte[] hash(long from, long n) {
            if (from + n <= oldSize) {
                byte[] root = oldSubtrees.get(from);
                if (root == null || oldSubtreeSizes.get(from) != n) {
                    throw new IllegalStateException("node [" + from + ", " + (from + n) + ") is no root of the old frontier");
                }
                return root;
            }
            if (from < oldSize) {
                throw new IllegalStateException("node [" + from + ", " + (from + n) + ") straddles the old size " + oldSize);
            }
            return mth((int) (from - oldSize), (int) (from - oldSize + n));
        }

        private byte[] mth(int from, int to) {
            if (to - from == 1) {
                return appended.get(from);
            }
            int k = Integer.highestOneBit(to - from - 1);
            return TreeHashes.node(digest, mth(from, from + k), mth(from + k, to));
        }
    }
}
