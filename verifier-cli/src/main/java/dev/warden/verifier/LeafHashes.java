package dev.warden.verifier;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The log's leaf hashes in order, packed 32 bytes each into one array: a verification keeps a million of them until
 * the roots are compared, and as a million small arrays the young collections copied them again and again (a large
 * array is allocated outside the young generation and never copied). Only what the verifier does to a list of
 * hashes: add, read (a copy), and cut the tail. A log whose head is gone starts with placeholders (all zero) for the
 * receipts before its first, counted, not stored: a head cut at any sequence number costs no memory.
 */
final class LeafHashes extends AbstractList<byte[]> implements RandomAccess {
    private static final int HASH = 32;
    /** The most leaves a list holds, placeholders included (list indexes are ints). */
    static final int MAX = Integer.MAX_VALUE - 8;
    /** The most hashes one array holds. */
    private static final int MAX_STORED = MAX / HASH;

    private byte[] packed = new byte[HASH * 1024];
    private int size;
    /** Placeholders before the first stored hash. */
    private int skipped;

    /** Starts an empty list with {@code count} placeholders (all-zero hashes), none of them stored. */
    void skip(int count) {
        if (size != 0 || count < 0 || count > MAX) {
            throw new IllegalStateException("placeholders only start an empty list");
        }
        skipped = count;
        size = count;
    }

    /** Whether two more leaves (a receipt, and a damaged one before it) might not fit: reported rather than failed on. */
    boolean full() {
        return size >= MAX - 1 || size - skipped >= MAX_STORED - 1;
    }

    @Override
    public boolean add(byte[] hash) {
        if (hash.length != HASH) {
            throw new IllegalArgumentException("a leaf hash is 32 bytes, not " + hash.length);
        }
        if (size >= MAX || size - skipped >= MAX_STORED) {
            throw new IllegalStateException("no room for another leaf");
        }
        int stored = size - skipped;
        if ((stored + 1) * HASH > packed.length) {
            packed = Arrays.copyOf(packed, (int) Math.min((long) MAX_STORED * HASH, 2L * packed.length));
        }
        System.arraycopy(hash, 0, packed, stored * HASH, HASH);
        size++;
        modCount++;
        return true;
    }

    @Override
    public byte[] get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        if (index < skipped) {
            return new byte[HASH];
        }
        int stored = index - skipped;
        return Arrays.copyOfRange(packed, stored * HASH, (stored + 1) * HASH);
    }

    @Override
    public int size() {
        return size;
    }

    /** Only the tail can go ({@code subList(from, size()).clear()}): a recovery drops the receipts it refused. */
    @Override
    protected void removeRange(int fromIndex, int toIndex) {
        if (toIndex != size || fromIndex < 0 || fromIndex > toIndex) {
            throw new UnsupportedOperationException("only the tail of the leaves is removed");
        }
        size = fromIndex;
        skipped = Math.min(skipped, fromIndex);
        modCount++;
    }
}
