package dev.warden.receipts;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Faults in the pages of the cycle file just ahead of where the log appends, off the hot path (on the
 * signer's thread, after its checkpoint), so that appending a receipt copies into a page the kernel has
 * already allocated. Chronicle's cycle files are sparse: without this, about one receipt in five was the
 * first write to its page and paid for allocating it (in the JDBC benchmark, a third of the appending
 * thread's samples were in that copy, and most of the tail). Chronicle's own pre-toucher is not in its
 * open-source edition.
 *
 * <p>A page is touched with a compare-and-set of an int from 0 to 0 at its start, through a mapping of
 * this class's own: the write faults the page in without changing what is there, whatever the appender
 * writes at the same moment. Only pages inside the file's current length are touched (mapping beyond it
 * would extend the file); released cycle files are trimmed on the same thread, so a page is never touched
 * in a file being trimmed. Any failure only stops the touching: appends never depend on it.
 */
final class PagesAhead implements AutoCloseable {

    static final int PAGE = 4096;
    /** How far ahead of the append position pages are kept touched, at least: a few thousand receipts. */
    static final long LEAST_AHEAD = 2L << 20;
    /**
     * ... and at most. In between, as far as the appends of {@link #AHEAD_NANOS} at the rate seen since the last
     * call: the JDBC benchmark appends 200 MB/s, and with 2 MiB the appender caught up between two looks of the
     * signer and zero-filled the kernel's 2 MiB folios itself (perf: {@code memset} under its page faults, half
     * its p99.9). A slow writer keeps the least: touched pages are resident memory and, once written back, disk.
     */
    static final long MOST_AHEAD = 32L << 20;
    static final long AHEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long WINDOW = 32L << 20;
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final Path queueDirectory;
    private volatile String file;     // the cycle file appended to, and where the last append ended in it
    private volatile long position;

    // Only the touching thread's:
    private String touching;
    private FileChannel channel;
    private MappedByteBuffer window;
    private long windowStart;
    private long touchedUpTo;
    private long size;
    private long ahead = LEAST_AHEAD;
    private long lastPosition;
    private long lastNanos;
    private boolean failed;

    PagesAhead(Path queueDirectory) {
        this.queueDirectory = queueDirectory;
    }

    /** Where the last append ended: called by the appender (two volatile writes). */
    void appended(String cycleFile, long endPosition) {
        if (!cycleFile.equals(file)) {
            file = cycleFile;
        }
        position = endPosition;
    }

    /** Touches the pages from the append position to {@link #ahead()} past it that are not touched yet. */
    void touchAhead() {
        touchAhead(System.nanoTime());
    }

    void touchAhead(long nowNanos) {
        String current = file;
        long at = position;
        pace(current, at, nowNanos);
        if (failed || current == null || current.equals(touching) && at + ahead / 2 < touchedUpTo) {
            return; // called after every checkpoint: most calls find enough pages touched already
        }
        try {
            if (!current.equals(touching)) {
                open(current);
            }
            if (at + ahead > size) {
                size = channel.size(); // Chronicle extends the file a chunk at a time
            }
            long end = Math.min(at + ahead, size);
            long page = Math.max(touchedUpTo, (at + PAGE - 1) & -PAGE); // the appender's own page is in
            for (; page + Integer.BYTES <= end; page += PAGE) {
                if (window == null || page + Integer.BYTES > windowStart + window.capacity()) {
                    windowStart = page;
                    window = channel.map(FileChannel.MapMode.READ_WRITE, page, Math.min(WINDOW, size - page));
                }
                INTS.compareAndSet(window, (int) (page - windowStart), 0, 0);
            }
            touchedUpTo = Math.max(touchedUpTo, page);
        } catch (IOException | RuntimeException | InternalError e) {
            failed = true; // appends are as fast as without this; nothing else depends on it
            close();
        }
    }

    /** Sets how far ahead to touch from the appends since the last call (a new file starts again at the least). */
    private void pace(String current, long at, long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (current == null || !current.equals(touching) || at < lastPosition) {
            ahead = LEAST_AHEAD;
        } else if (elapsed >= TimeUnit.MILLISECONDS.toNanos(1)) {
            long appended = Math.min(at - lastPosition, 1L << 40); // no overflow below
            ahead = Math.max(LEAST_AHEAD, Math.min(MOST_AHEAD, appended * AHEAD_NANOS / elapsed));
        } else {
            return; // too soon to tell a rate: measure over a longer stretch
        }
        lastPosition = at;
        lastNanos = nowNanos;
    }

    /** How far ahead of the last append pages are touched now. */
    long ahead() {
        return ahead;
    }

    /** How far pages are touched in the current file (for tests). */
    long touchedUpTo() {
        return touchedUpTo;
    }

    private void open(String cycleFile) throws IOException {
        close();
        channel = FileChannel.open(queueDirectory.resolve(cycleFile), StandardOpenOption.READ, StandardOpenOption.WRITE);
        touching = cycleFile;
        touchedUpTo = 0;
        size = channel.size();
    }

    /** Lets go of the file; the mapping is released when it is collected (the JDK offers no unmap). */
    @Override
    public void close() {
        window = null;
        touching = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-write channel on a local file: nothing was buffered
            }
            channel = null;
        }
    }
}
