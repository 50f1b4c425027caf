package dev.warden.receipts;

import java.util.List;

/**
 * A signed checkpoint waiting to be written into the queue, handed by the signer to the next append, which
 * holds the log's lock anyway, so that appends never wait for the signer while receipts are being appended (a
 * fair lock would otherwise make the next append wait for the signer to be scheduled, and an append that found
 * the signer writing parked until it let go). The signer waits for it instead; the append that takes it writes
 * it before unlocking. It does not wake the
 * signer, which looks again within 100 µs: an unpark from the appending thread makes the kernel run the signer on
 * that thread's CPU and preempt it (see {@link BackgroundSigner}).
 */
final class PendingCheckpoint {
    final byte[] excerpt;
    private volatile boolean written;
    private volatile RuntimeException failure;

    /** Encoded here, on the signer's thread: the append that writes it only copies its bytes. */
    PendingCheckpoint(String note, List<byte[]> frontier) {
        this.excerpt = LogRecords.checkpoint(note, frontier);
    }

    /** Called by the thread that wrote it (or failed to), under the log's lock. */
    void done(RuntimeException failed) {
        failure = failed;
        written = true;
    }

    boolean isDone() {
        return written;
    }

    /** The signer learns of a failed write as if it had written the checkpoint itself. */
    void rethrowFailure() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }
}
