package dev.warden.receipts;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The thread that keeps signing off the hot path: it signs a checkpoint once {@code every} receipts are
 * unsigned, when one is requested (a queue roll), or when the interval has passed.
 *
 * <p>While receipts flow it looks for itself, as often as the rate it sees says {@code every} will be reached
 * but no more often than every {@link #LOOK_AT_MOST_EVERY_NANOS}; an append wakes it only from sleep, the log
 * having been quiet. An unpark from the appending thread makes the kernel run the signer on that thread's CPU
 * and preempt it: in the JDBC benchmark that was about 30 stalls a second of ~180 µs each, its p99.9 (perf's
 * {@code sched_switch} on the benchmark thread: preempted on return from {@code pthread_cond_signal}).
 */
final class BackgroundSigner implements Runnable {
    /** At most 500 looks a second: under a sustained load a checkpoint covers up to 2 ms of receipts beyond {@code every}. */
    static final long LOOK_AT_MOST_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Runnable checkpoint;
    private final LongSupplier checkpointed;
    private final LongSupplier appended;
    private final int every;
    private final long intervalNanos;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean woken = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean stopping;
    private volatile Throwable lastFailure;
    private volatile Runnable chore = () -> { };

    /**
     * @param checkpoint   signs a checkpoint of everything appended ({@link Checkpointer#checkpoint()})
     * @param checkpointed how many receipts the last checkpoint covers
     * @param appended     how many receipts have been appended
     */
    BackgroundSigner(Runnable checkpoint, LongSupplier checkpointed, LongSupplier appended, int every, long intervalNanos,
                     ThreadFactory threads) {
        this.checkpoint = checkpoint;
        this.checkpointed = checkpointed;
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
     * Cheap enough for the hot path: a volatile read while the signer is awake; a subtraction, and an unpark
     * only when a checkpoint is due, the signer sleeps and has not been woken for it yet.
     */
    void receiptAppended() {
        if (sleeping && unsigned() >= every && !woken.get() && woken.compareAndSet(false, true)) {
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
        long seen = appended.getAsLong();
        long seenAt = System.nanoTime();
        while (!stopping) {
            woken.set(false); // before looking: an append that finds it set after this has unparked us
            long now = System.nanoTime();
            long count = appended.getAsLong();
            if (requested.getAndSet(false) || now - deadline >= 0 || unsigned() >= every) {
                sign();
                deadline = System.nanoTime() + intervalNanos;
            } else if (count != seen || now - seenAt < LOOK_AT_MOST_EVERY_NANOS) {
                // Quiet means nothing appended for a whole look: while the signer runs on the appender's CPU, a
                // look straight after the last sees nothing new, and sleeping then made the next append wake it.
                LockSupport.parkNanos(this, Math.min(deadline - now, untilDue(count - seen, now - seenAt)));
            } else {
                sleep(deadline - now);
            }
            seen = count;
            seenAt = now;
        }
    }

    private void sign() {
        try {
            checkpoint.run();
            lastFailure = null;
        } catch (RuntimeException e) {
            // Nobody to throw to: receipts stay written and show up as UNCHECKPOINTED until the next success.
            lastFailure = e;
        }
        chore.run();
    }

    /** How long the rate just seen takes to make a checkpoint due, but at least the shortest look. */
    private long untilDue(long arrived, long overNanos) {
        if (arrived == 0) {
            return LOOK_AT_MOST_EVERY_NANOS;
        }
        long missing = Math.max(0, every - unsigned());
        double nanosEach = (double) Math.max(overNanos, 1) / arrived;
        return Math.max(LOOK_AT_MOST_EVERY_NANOS, (long) Math.min(missing * nanosEach, Long.MAX_VALUE / 2));
    }

    /**
     * Parks until the deadline, or until an append finds a checkpoint due. It looks once more after saying it
     * sleeps: an append that made one due before that saw it awake, and did not wake it.
     */
    private void sleep(long nanos) {
        sleeping = true;
        try {
            if (unsigned() < every && !requested.get() && !stopping) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            sleeping = false;
        }
    }

    private long unsigned() {
        return appended.getAsLong() - checkpointed.getAsLong();
    }
}
