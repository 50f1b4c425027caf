package dev.warden.receipts;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A signed checkpoint waiting to be written into the queue, handed by the signer to whichever append
 * holds the log's lock, so that the signer never waits for that lock while receipts are being
 * appended (a fair lock would otherwise make the next append wait for the signer to be scheduled).
 * The signer waits for it instead; the append that takes it writes it before unlocking.
 */
final class PendingCheckpoint {
    final String note;
    final List<byte[]> frontier;
    private final Thread signer;
    private volatile boolean written;
    private volatile RuntimeException failure;

    PendingCheckpoint(String note, List<byte[]> frontier) {
        this.note = note;
        this.frontier = frontier;
        this.signer = Thread.currentThread();
    }

    /** Called by the thread that wrote it (or failed to), under the log's lock. */
    void done(RuntimeException failed) {
        failure = failed;
        written = true;
        LockSupport.unpark(signer);
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
