package dev.warden.verifier;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.VerificationKey;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The excerpts of a receipts queue in queue order, each receipt excerpt already parsed (canonical form
 * checked, leaf hash computed) and each checkpoint's signatures checked against the given key: the work that depends on nothing but the excerpt's own bytes, and most of
 * a verification's time. With more than one thread it runs ahead on the other cores, batch by batch,
 * while the verifier checks links, sequence numbers and everything else in order on its own thread, so
 * what is found, and the order it is reported in, is the same as parsing in line.
 */
final class ReadAhead implements AutoCloseable {
    /** Excerpts per batch: enough to amortise a hand-over, few enough to keep every core busy from the start. */
    static final int BATCH = 2048;
    /**
     * Payload bytes per batch, at most (and one excerpt past it): an excerpt may be 16 MiB, and 2048 of them per batch,
     * several batches in flight, would not fit any heap. With it, what is in flight stays under {@code 2 × threads × 32 MiB}.
     */
    static final long BATCH_BYTES = 32L << 20;

    /**
     * One excerpt and, for a receipt excerpt, its parse: the receipt, or why its bytes are not a canonical receipt;
     * for a checkpoint excerpt, its note read and checked against the given key.
     */
    record Parsed(LogEntry entry, Receipt receipt, MalformedReceiptException malformed, CheckpointRead checkpoint) {
        static Parsed of(LogEntry entry, VerificationKey key) {
            if (entry instanceof LogEntry.StoredCheckpoint c) {
                return new Parsed(entry, null, null, CheckpointRead.of(c, key));
            }
            if (!(entry instanceof LogEntry.StoredReceipt stored)) {
                return new Parsed(entry, null, null, null);
            }
            try {
                return new Parsed(entry, stored.parse(), null, null);
            } catch (MalformedReceiptException e) {
                return new Parsed(entry, null, e, null);
            }
        }
    }

    private final ReceiptReader reader;
    /** The key checkpoints are checked against ahead: the given key (a rotation's next key is checked in line). */
    private final VerificationKey key;
    private final ExecutorService pool;
    private final int inFlight;
    private final int batch;
    private final Deque<Future<List<Parsed>>> batches = new ArrayDeque<>();
    private List<Parsed> current = List.of();
    private int next;
    private boolean readerDone;

    private ReadAhead(ReceiptReader reader, VerificationKey key, int threads, int batch) {
        this.reader = reader;
        this.key = key;
        this.batch = batch;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, ReadAhead::daemon) : null;
        this.inFlight = 2 * threads;
    }

    /** Parses on {@code threads} threads, {@code batch} excerpts at a time; 1 or fewer: in line, on the caller's thread. */
    static ReadAhead over(ReceiptReader reader, VerificationKey key, int threads, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch " + batch);
        }
        return new ReadAhead(reader, key, threads, batch);
    }

    /** Threads worth using here: one per core the JVM may run on (a {@code taskset} to one core gives 1). */
    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The next excerpt, or {@code null} after the last. */
    Parsed next() {
        if (pool == null) {
            LogEntry e = reader.next();
            return e == null ? null : Parsed.of(e, key);
        }
        while (next == current.size()) {
            fill();
            if (batches.isEmpty()) {
                return null;
            }
            current = await(batches.poll());
            next = 0;
        }
        return current.get(next++);
    }

    /** Reads excerpts (sequential I/O, on this thread) into batches until enough are being parsed. */
    private void fill() {
        while (!readerDone && batches.size() < inFlight) {
            List<LogEntry> entries = new ArrayList<>(batch);
            long bytes = 0;
            while (entries.size() < batch && bytes < BATCH_BYTES) {
                LogEntry e = reader.next();
                if (e == null) {
                    readerDone = true;
                    break;
                }
                entries.add(e);
                bytes += weight(e);
            }
            if (!entries.isEmpty()) {
                batches.add(pool.submit(() -> entries.stream().map(e -> Parsed.of(e, key)).toList()));
            }
        }
    }

    /** About what an excerpt holds in memory. */
    static long weight(LogEntry e) {
        if (e instanceof LogEntry.StoredReceipt r) {
            return r.bytes().length;
        }
        if (e instanceof LogEntry.StoredCheckpoint c) {
            return c.note().length() + 32L * c.frontier().size();
        }
        return 64;
    }

    private static List<Parsed> await(Future<List<Parsed>> batch) {
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } catch (ExecutionException e) {
            // What parsing in line would have thrown, thrown as it was.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "warden-verify-parse");
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
