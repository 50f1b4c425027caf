package dev.warden.verifier;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The log's leaf hashes in order, packed 32 bytes each into one array: a verification keeps a million of them until
 * the roots are compared, and as a million small arrays the young collections copied them again and again (a large
 * array is allocated outside the young generation and never copied). Only what the verifier does to a list of
 * hashes: add, read (a copy), and cut the tail.
 */
final class LeafHashes extends AbstractList<byte[]> implements RandomAccess {
    private static final int HASH = 32;

    private byte[] packed = new byte[HASH * 1024];
    private int size;

    @Override
    public boolean add(byte[] hash) {
        if (hash.length != HASH) {
            throw new IllegalArgumentException("a leaf hash is 32 bytes, not " + hash.length);
        }
        if ((size + 1) * HASH > packed.length) {
            packed = Arrays.copyOf(packed, Math.multiplyExact(packed.length, 2));
        }
        System.arraycopy(hash, 0, packed, size * HASH, HASH);
        size++;
        modCount++;
        return true;
    }

    @Override
    public byte[] get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return Arrays.copyOfRange(packed, index * HASH, (index + 1) * HASH);
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
        modCount++;
    }
}
