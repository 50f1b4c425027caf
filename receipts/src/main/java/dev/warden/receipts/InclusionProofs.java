package dev.warden.receipts;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** RFC 9162 §2.1.3 Merkle inclusion proofs: generation over a list of leaf hashes, and verification. */
public final class InclusionProofs {
    private InclusionProofs() {
    }

    /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
    public static List<byte[]> path(List<byte[]> leaves, long index, long size) {
        if (index < 0 || index >= size || size > leaves.size()) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        collect(Sha256.newDigest(), leaves, (int) index, 0, (int) size, path);
        return path;
    }

    /** Root of leaves[from, to) (RFC 6962 MTH). */
    public static byte[] root(List<byte[]> leaves, int from, int to) {
        return mth(Sha256.newDigest(), leaves, from, to);
    }

    public static boolean verify(byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        MessageDigest digest = Sha256.newDigest();
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = TreeHashes.node(digest, p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = TreeHashes.node(digest, r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    // PATH(m, D[n]) from RFC 9162 §2.1.3.1, on the window leaves[from, to); appended bottom-up.
    private static void collect(MessageDigest digest, List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
        int n = to - from;
        if (n <= 1) {
            return;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m < k) {
            collect(digest, leaves, m, from, from + k, out);
            out.add(mth(digest, leaves, from + k, to));
        } else {
            collect(digest, leaves, m - k, from + k, to, out);
            out.add(mth(digest, leaves, from, from + k));
        }
    }

    private static byte[] mth(MessageDigest digest, List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return TreeHashes.emptyRoot();
        }
        if (n == 1) {
            return leaves.get(from);
        }
        int k = Integer.highestOneBit(n - 1);
        return TreeHashes.node(digest, mth(digest, leaves, from, from + k), mth(digest, leaves, from + k, to));
    }
}
