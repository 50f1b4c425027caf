package dev.warden.receipts;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The thread that keeps signing off the hot path: it wakes when {@code every} receipts are
 * unsigned (the appender unparks it), when a checkpoint is requested (a queue roll), or when the
 * interval has passed, and asks the {@link Checkpointer} for a checkpoint.
 */
final class BackgroundSigner implements Runnable {
    private final Checkpointer checkpointer;
    private final LongSupplier appended;
    private final int every;
    private final long intervalNanos;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean woken = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable lastFailure;
    private volatile Runnable chore = () -> { };

    BackgroundSigner(Checkpointer checkpointer, LongSupplier appended, int every, long intervalNanos, ThreadFactory threads) {
        this.checkpointer = checkpointer;
        this.appended = appended;
        this.every = every;
        this.intervalNanos = intervalNanos;
        this.thread = threads.newThread(this);
    }

    /** Runs {@code work} after every checkpoint attempt, on this thread (trimming released cycle files). */
    void alsoRun(Runnable work) {
        chore = work;
    }

    void start() {
        thread.start();
    }

    /**
     * Cheap enough for the hot path: one subtraction, and an unpark only when a checkpoint is due and the
     * signer has not been woken for it yet (while it signs, appends go on; waking it again from every one of
     * them would contend for its parker's lock).
     */
    void receiptAppended() {
        if (appended.getAsLong() - checkpointer.checkpointedSize() >= every && !woken.get() && woken.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    void requestCheckpoint() {
        requested.set(true);
        LockSupport.unpark(thread);
    }

    void stop() throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join();
    }

    /** The last failure to write a checkpoint, if the most recent attempt failed. */
    Throwable lastFailure() {
        return lastFailure;
    }

    @Override
    public void run() {
        long deadline = System.nanoTime() + intervalNanos;
        while (!stopping) {
            woken.set(false); // before looking: an append that finds it set after this has unparked us
            long now = System.nanoTime();
            boolean due = requested.getAndSet(false) || now - deadline >= 0
                    || appended.getAsLong() - checkpointer.checkpointedSize() >= every;
            if (!due) {
                LockSupport.parkNanos(this, deadline - now);
                continue;
            }
            try {
                checkpointer.checkpoint();
                lastFailure = null;
            } catch (RuntimeException e) {
                // Nobody to throw to: receipts stay written and show up as UNCHECKPOINTED until the next success.
                lastFailure = e;
            }
            chore.run();
            deadline = System.nanoTime() + intervalNanos;
        }
    }
}
