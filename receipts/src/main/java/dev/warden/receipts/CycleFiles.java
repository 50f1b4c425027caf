package dev.warden.receipts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Sizes Chronicle's cycle files to what is written. Chronicle maps a cycle file in 64 MiB blocks
 * (plus 16 MiB of overlap) and extends the file to the end of the mapping: a day with a few KB of
 * receipts leaves an 80 MiB file, sparse (its holes take no disk) but 80 MiB to {@code ls}, to a copy
 * that does not keep holes, to a backup, and on a file system without sparse files. Once the writer
 * has released a file, its zero tail is cut off.
 *
 * <p>Nothing that is not zero is ever cut: the file keeps its last non-zero byte and a margin of
 * {@link #MARGIN} zeros after it, which covers the longest document Chronicle ends with zeros (a
 * 32 KiB index array) and the zero header that tells a reader the data ends there. A writer that opens
 * the file again extends it again; it is trimmed again when released.
 */
final class CycleFiles {
    static final int MARGIN = 64 << 10;
    private static final int PAGE = 4096;
    private static final int CHUNK = 1 << 20;

    private CycleFiles() {
    }

    /** @return how many bytes were cut off */
    static long trim(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long keep = Math.min(size, roundUp(lastNonZero(channel, size) + 1 + MARGIN));
            if (keep >= size) {
                return 0;
            }
            channel.truncate(keep);
            return size - keep;
        }
    }

    /** Reads backwards from the end (the holes of a sparse file read as zeros and cost no disk). -1 if all zero. */
    private static long lastNonZero(FileChannel channel, long size) throws IOException {
        byte[] chunk = new byte[CHUNK];
        byte[] zeros = new byte[CHUNK];
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        for (long end = size; end > 0; ) {
            long start = Math.max(0, end - CHUNK);
            buffer.clear().limit((int) (end - start));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, start + buffer.position()) < 0) {
                    break; // shorter than it was: nothing more to read there
                }
            }
            int read = buffer.position();
            if (Arrays.mismatch(chunk, 0, read, zeros, 0, read) >= 0) { // vectorised: most chunks are holes
                for (int i = read - 1; i >= 0; i--) {
                    if (chunk[i] != 0) {
                        return start + i;
                    }
                }
            }
            end = start;
        }
        return -1;
    }

    private static long roundUp(long n) {
        return (n + PAGE - 1) / PAGE * PAGE;
    }
}
