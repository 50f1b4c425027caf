package dev.warden.receipts;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.core.UnsafeMemory;
import net.openhft.chronicle.core.io.ReferenceOwner;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Faults in the pages of the cycle file just ahead of where the log appends, off the hot path (on the
 * signer's thread, after its checkpoint), so that appending a receipt writes into a page that is already
 * mapped and writable. Chronicle's cycle files are sparse: without this, about one receipt in five was the
 * first write to its page and paid for allocating it (in the JDBC benchmark, a third of the appending
 * thread's samples were in that copy, and most of the tail). Chronicle's own pre-toucher is not in its
 * open-source edition.
 *
 * <p>Pages are touched through Chronicle's own mapping of the file: the chunk the appender writes through is
 * acquired from the same {@link MappedFile} (which maps each chunk once), so the appender finds the page
 * table entries in place. Touched through a mapping of its own, every page still faulted once in the
 * appender's mapping, and with the kernel's 2 MiB folios that fault made writable a whole folio at a time,
 * some 100 µs on the appending thread every 2 MiB (perf: {@code block_page_mkwrite}). A page is touched
 * with a compare-and-set of an int from 0 to 0 at its start: it faults the page in without changing what is
 * there, whatever the appender writes at the same moment. The chunk is held (reserved) while it is touched,
 * so Chronicle cannot unmap it under the toucher, and a released cycle file is retired before it is trimmed
 * (on the same thread), so no page past its new end is ever touched. Any failure only stops the touching of
 * that file: appends never depend on it.
 */
final class PagesAhead implements AutoCloseable, ReferenceOwner {

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

    private volatile MappedFile file; // the cycle file appended to, and where the last append ended in it
    private volatile long position;

    // Only the touching thread's:
    private MappedFile touching;
    private MappedBytesStore chunk;
    private long touchedUpTo;
    private long ahead = LEAST_AHEAD;
    private long lastPosition;
    private long lastNanos;
    private MappedFile untouchable; // retired, or touching it failed

    /**
     * Where the last append ended, in the bytes the appender wrote to: called by the appender, under the log's lock.
     * The position is published before the file, and read after it: a toucher that sees a new file sees a position
     * in it, never the last one of the file before (which would send it megabytes into the new file).
     */
    void appended(Bytes<?> bytes, long endPosition) {
        MappedFile appendedTo = bytes instanceof MappedBytes mapped ? mapped.mappedFile() : null;
        position = endPosition;
        if (appendedTo != file) {
            file = appendedTo;
        }
    }

    /** Touches the pages from the append position to {@link #ahead()} past it that are not touched yet. */
    void touchAhead() {
        touchAhead(System.nanoTime());
    }

    void touchAhead(long nowNanos) {
        MappedFile current = file; // before the position: see appended()
        long at = position;
        pace(current, at, nowNanos);
        if (current == null || current == untouchable || current == touching && at + ahead / 2 < touchedUpTo) {
            return; // called after every checkpoint: most calls find enough pages touched already
        }
        try {
            if (current != touching) {
                letGo();
                touching = current;
                touchedUpTo = 0;
            }
            long end = at + ahead;
            long page = Math.max(touchedUpTo, (at + PAGE - 1) & -PAGE); // the appender's own page is in
            for (; page + Integer.BYTES <= end; page += PAGE) {
                if (chunk == null || page + Integer.BYTES > chunk.safeLimit()) {
                    // Chronicle's own rule: an append past the chunk's mapping acquires the chunk holding it.
                    releaseChunk();
                    chunk = touching.acquireByteStore(this, page);
                }
                UnsafeMemory.MEMORY.compareAndSwapInt(chunk.addressForWrite(page), 0, 0);
            }
            touchedUpTo = Math.max(touchedUpTo, page);
        } catch (IOException | RuntimeException | InternalError e) {
            untouchable = touching; // appends are as fast as without this; nothing else depends on it
            letGo();
        }
    }

    /**
     * Before a released cycle file is trimmed, on the touching thread: it is never touched again (the appender
     * may not have told of its next file yet), and its chunk is let go.
     */
    void retire(File released) {
        MappedFile current = file;
        if (current != null && current.file().equals(released)) {
            untouchable = current;
        }
        if (touching != null && touching.file().equals(released)) {
            untouchable = touching;
            letGo();
        }
    }

    /** Sets how far ahead to touch from the appends since the last call (a new file starts again at the least). */
    private void pace(MappedFile current, long at, long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (current == null || current != touching || at < lastPosition) {
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

    private void releaseChunk() {
        MappedBytesStore held = chunk;
        chunk = null;
        if (held != null) {
            held.release(this);
        }
    }

    private void letGo() {
        try {
            releaseChunk();
        } catch (RuntimeException e) {
            // already released with its file: nothing of ours is mapped any more
        }
        touching = null;
    }

    /** Lets go of the chunk it holds: call before the queue closes, on the touching thread or after it stopped. */
    @Override
    public void close() {
        letGo();
    }
}
