package dev.warden.receipts;

import java.util.concurrent.locks.LockSupport;

/**
 * An append waiting for the log's lock, done for it by the thread that holds the lock (flat combining):
 * with many more acting threads than cores, handing the lock from thread to thread made every receipt wait
 * for the next owner to be scheduled, behind every other runnable thread. Now the thread that is running
 * appends everything queued, in arrival order, and its owners only need to wake up to return.
 */
final class QueuedAppend {
    final ReceiptDraft draft;
    private final Thread owner = Thread.currentThread();
    private Receipt receipt;
    private ReceiptWriteException failure;
    private volatile boolean done;

    QueuedAppend(ReceiptDraft draft) {
        this.draft = draft;
    }

    /** By the combining thread, under the lock. */
    void complete(Receipt appended, ReceiptWriteException failed) {
        receipt = appended;
        failure = failed;
        done = true; // publishes the two fields above to the owner
        if (owner != Thread.currentThread()) {
            LockSupport.unpark(owner);
        }
    }

    boolean isDone() {
        return done;
    }

    /** The owner, once done. */
    Receipt result() throws ReceiptWriteException {
        if (failure != null) {
            throw failure;
        }
        return receipt;
    }

    void wake() {
        LockSupport.unpark(owner);
    }
}
