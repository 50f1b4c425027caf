package dev.warden.verifier;

import dev.warden.receipts.ExcerptLocation;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Excerpt locations in queue order (or {@code null}, a placeholder), kept as a file number and an offset each: a
 * verification keeps one per receipt, and as a million small objects the young collections copied them again and
 * again. Only what the verifier does with them: add, read (an equal location), find one, and cut the tail. Placeholders
 * at the start (a log whose head is gone) are counted, not stored.
 */
final class Locations extends AbstractList<ExcerptLocation> implements RandomAccess {
    private final List<String> files = new ArrayList<>();
    private int[] file = new int[1024];
    private long[] offset = new long[1024];
    private int size;
    /** Placeholders before the first stored location. */
    private int skipped;

    /** Starts an empty list with {@code count} placeholders ({@code null}), none of them stored. */
    void skip(int count) {
        if (size != 0 || count < 0) {
            throw new IllegalStateException("placeholders only start an empty list");
        }
        skipped = count;
        size = count;
    }

    @Override
    public boolean add(ExcerptLocation at) {
        int i = size - skipped;
        if (i == file.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, 2L * i);
            file = Arrays.copyOf(file, grown);
            offset = Arrays.copyOf(offset, grown);
        }
        if (at == null) {
            file[i] = -1;
        } else {
            // Locations come file by file: the file is almost always the last one seen.
            int last = files.size() - 1;
            if (last < 0 || !files.get(last).equals(at.file())) {
                files.add(at.file());
                last++;
            }
            file[i] = last;
            offset[i] = at.offset();
        }
        size++;
        modCount++;
        return true;
    }

    @Override
    public ExcerptLocation get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int i = index - skipped;
        return i < 0 || file[i] < 0 ? null : new ExcerptLocation(files.get(file[i]), offset[i]);
    }

    /**
     * Where {@code at} is, by binary search: the locations come in queue order (file by file, offsets growing), so
     * a recovery receipt's look-up of its head costs a logarithm, not a pass over every receipt before it.
     */
    @Override
    public int indexOf(Object o) {
        if (!(o instanceof ExcerptLocation at)) {
            if (o == null && skipped > 0) {
                return 0;
            }
            for (int i = 0; o == null && i < size - skipped; i++) {
                if (file[i] < 0) {
                    return i + skipped;
                }
            }
            return -1;
        }
        int f = files.lastIndexOf(at.file());
        if (f < 0) {
            return -1;
        }
        int low = 0;
        int high = size - skipped - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = file[mid] != f ? Integer.compare(file[mid], f) : Long.compare(offset[mid], at.offset());
            if (c == 0) {
                return mid + skipped;
            } else if (c < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    /** Only the tail can go ({@code subList(from, size()).clear()}): a recovery drops the receipts it refused. */
    @Override
    protected void removeRange(int fromIndex, int toIndex) {
        if (toIndex != size || fromIndex < 0 || fromIndex > toIndex) {
            throw new UnsupportedOperationException("only the tail of the locations is removed");
        }
        size = fromIndex;
        skipped = Math.min(skipped, fromIndex);
        modCount++;
    }
}
