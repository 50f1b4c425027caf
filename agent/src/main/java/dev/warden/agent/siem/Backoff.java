package dev.warden.agent.siem;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a connection may be tried again: at once after a success, then after the first delay,
 * doubling with every failure up to the longest. A receiver that is down is not hammered, and one
 * that is back is found within the longest delay.
 */
final class Backoff {
    private final long firstNanos;
    private final long longestNanos;
    private final LongSupplier nanoTime;
    private long delayNanos;
    private long nextNanos;
    private boolean waiting;

    Backoff(Duration first, Duration longest, LongSupplier nanoTime) {
        this.firstNanos = first.toNanos();
        this.longestNanos = longest.toNanos();
        this.nanoTime = nanoTime;
        this.delayNanos = firstNanos;
    }

    /** Whether an attempt may be made now. */
    boolean due() {
        return !waiting || nanoTime.getAsLong() - nextNanos >= 0;
    }

    void failed() {
        nextNanos = nanoTime.getAsLong() + delayNanos;
        delayNanos = Math.min(delayNanos * 2, longestNanos);
        waiting = true;
    }

    void succeeded() {
        delayNanos = firstNanos;
        waiting = false;
    }
}
