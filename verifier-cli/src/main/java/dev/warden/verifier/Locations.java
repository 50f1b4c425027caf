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
 * again. Only what the verifier does with them: add, read (an equal location), and cut the tail.
 */
final class Locations extends AbstractList<ExcerptLocation> implements RandomAccess {
    private final List<String> files = new ArrayList<>();
    private int[] file = new int[1024];
    private long[] offset = new long[1024];
    private int size;

    @Override
    public boolean add(ExcerptLocation at) {
        if (size == file.length) {
            file = Arrays.copyOf(file, Math.multiplyExact(size, 2));
            offset = Arrays.copyOf(offset, size * 2);
        }
        if (at == null) {
            file[size] = -1;
        } else {
            // Locations come file by file: the file is almost always the last one seen.
            int last = files.size() - 1;
            if (last < 0 || !files.get(last).equals(at.file())) {
                files.add(at.file());
                last++;
            }
            file[size] = last;
            offset[size] = at.offset();
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
        return file[index] < 0 ? null : new ExcerptLocation(files.get(file[index]), offset[index]);
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
        modCount++;
    }
}
