package dev.warden.agent.record;

import dev.warden.agent.logging.WardenLog;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/** The record stage's background thread: runs its housekeeping every interval until stopped. */
final class Housekeeper implements Runnable {

    private final Runnable chore;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean stopping;

    Housekeeper(Runnable chore, long intervalNanos, ThreadFactory threads) {
        this.chore = chore;
        this.intervalNanos = intervalNanos;
        this.thread = threads.newThread(this);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (!stopping) {
            LockSupport.parkNanos(this, intervalNanos);
            try {
                chore.run();
            } catch (RuntimeException | Error e) {
                WardenLog.warn("receipt housekeeping failed: " + e); // the next round tries again
            }
        }
    }
}
