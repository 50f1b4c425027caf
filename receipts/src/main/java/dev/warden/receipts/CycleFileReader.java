package dev.warden.receipts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Bounds-checked reads of one queue file through a heap buffer: never a memory mapping, so a file
 * that is cut or changed while it is read gives a short read, not a SIGBUS that the JVM turns into
 * an {@link InternalError} (what Chronicle's own, Unsafe-backed, read path does on corrupt files).
 */
final class CycleFileReader implements AutoCloseable {
    static final int WINDOW = 1 << 20;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    /** The window's bytes, positioned by {@link #view}: one buffer for every excerpt, not two new ones each. */
    private final ByteBuffer viewed = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart = -1;
    /** Zero bytes the scans for non-zero bytes have read so far, bounded by {@link ChronicleLayout#MAX_ZEROS_SCANNED}. */
    private long zerosScanned;
    private int windowLength;

    CycleFileReader(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
    }

    long size() {
        return size;
    }

    /** The little-endian int at {@code position}; the caller checks {@code position + 4 <= size()}. */
    int readInt(long position) throws IOException {
        ensure(position, 4);
        return window.getInt((int) (position - windowStart));
    }

    byte readByte(long position) throws IOException {
        ensure(position, 1);
        return window.get((int) (position - windowStart));
    }

    byte[] read(long position, int length) throws IOException {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            int chunk = Math.min(length - done, WINDOW);
            ensure(position + done, chunk);
            window.get((int) (position + done - windowStart), out, done, chunk);
            done += chunk;
        }
        return out;
    }

    /**
     * The {@code length} bytes at {@code position} (at most {@link #WINDOW}) between the position and the limit of a
     * buffer over the read window, without a copy: valid until the next call of this reader, so the caller copies out
     * what it keeps, and only reads.
     */
    ByteBuffer view(long position, int length) throws IOException {
        if (length > WINDOW) {
            throw new IllegalArgumentException(length + " bytes do not fit the read window");
        }
        ensure(position, length);
        int from = (int) (position - windowStart);
        return viewed.clear().position(from).limit(from + length);
    }

    /**
     * The first non-zero byte in {@code [from, size())}, or -1.
     *
     * @throws TooManyZerosException when the zeros this reader has scanned pass {@link ChronicleLayout#MAX_ZEROS_SCANNED}
     */
    long firstNonZero(long from) throws IOException {
        for (long p = from; p < size; ) {
            int chunk = (int) Math.min(WINDOW, size - p);
            ensure(p, chunk);
            int base = (int) (p - windowStart);
            for (int i = 0; i < chunk; i++) {
                if (window.get(base + i) != 0) {
                    zeros(p, i);
                    return p + i;
                }
            }
            zeros(p, chunk);
            p += chunk;
        }
        return -1;
    }

    /** The last non-zero byte in {@code [from, size())}, or -1; bounded as {@link #firstNonZero} is. */
    long lastNonZero(long from) throws IOException {
        long last = -1;
        for (long p = from; p < size; ) {
            int chunk = (int) Math.min(WINDOW, size - p);
            ensure(p, chunk);
            int base = (int) (p - windowStart);
            int i = chunk - 1;
            while (i >= 0 && window.get(base + i) == 0) {
                i--;
            }
            if (i >= 0) {
                last = p + i;
            }
            zeros(p, chunk - 1 - i);
            p += chunk;
        }
        return last;
    }

    private void zeros(long at, long count) throws TooManyZerosException {
        zerosScanned += count;
        if (zerosScanned > ChronicleLayout.MAX_ZEROS_SCANNED) {
            throw new TooManyZerosException("more than " + ChronicleLayout.MAX_ZEROS_SCANNED + " bytes of zeros between or"
                    + " after its documents (read up to 0x" + Long.toHexString(at + count) + " of " + size + " bytes), more than"
                    + " a writer leaves (one 80 MiB mapping past its data): a file grown by hand; the rest is not read");
        }
    }

    /** What {@link #firstNonZero} and {@link #lastNonZero} throw past their bound. */
    static final class TooManyZerosException extends IOException {
        TooManyZerosException(String message) {
            super(message);
        }
    }

    private void ensure(long position, int length) throws IOException {
        if (position < 0 || position + length > size) {
            throw new IOException("read of " + length + " bytes at offset 0x" + Long.toHexString(position)
                    + " is outside the file (" + size + " bytes)");
        }
        if (windowStart >= 0 && position >= windowStart && position + length <= windowStart + windowLength) {
            return;
        }
        window.clear();
        int wanted = (int) Math.min(WINDOW, size - position);
        window.limit(wanted);
        while (window.hasRemaining()) {
            if (channel.read(window, position + window.position()) < 0) {
                throw new IOException("the file ended at offset 0x" + Long.toHexString(position + window.position())
                        + " while it was read (" + size + " bytes when opened): changed under the reader");
            }
        }
        windowStart = position;
        windowLength = wanted;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
