package dev.warden.agent.context;

import dev.warden.agent.logging.WardenLog;
import dev.warden.rules.state.Window;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A store several JVMs share counts each window by the buckets each JVM computes with its own clock: a JVM whose clock
 * is a window ahead drops the others' buckets as too old and takes the whole limit again (and one behind does the same
 * to theirs). So the store's clock is compared with Warden's, at most every {@link #CHECK_EVERY_NANOS}; while they differ
 * by more than {@link #MAX_SKEW_MILLIS}, the actions that count in a window are refused, naming the difference, as for a
 * store that does not answer. Labels and what is given back are not counted by the clock, and pass through.
 */
public final class ClockCheckedStateStore extends ForwardingStateStore {

    /** How far apart the clocks may be: a bucket of a one-minute window. */
    static final long MAX_SKEW_MILLIS = 1_000;
    static final long CHECK_EVERY_NANOS = 10_000_000_000L;

    private final LongSupplier serverMillis;
    private final LongSupplier millis;
    private volatile long checkedAtNanos;
    private volatile boolean checked;
    private volatile long skewMillis;

    /**
     * @param serverMillis the store's own time ({@link RedisStateStore#serverMillis()})
     * @param millis       Warden's clock, which the windows are computed with
     */
    public ClockCheckedStateStore(StateStore shared, LongSupplier serverMillis, LongSupplier millis) {
        super(shared);
        this.serverMillis = serverMillis;
        this.millis = millis;
    }

    @Override
    public Acquisition acquire(String key, Window.Span span, long amount, long max) {
        requireClocksAgree();
        return shared.acquire(key, span, amount, max);
    }

    @Override
    public long total(String key, Window.Span span) {
        requireClocksAgree();
        return shared.total(key, span);
    }

    /** @throws StateStoreException while the clocks differ by more than {@link #MAX_SKEW_MILLIS}, or the store cannot say its time */
    private void requireClocksAgree() {
        long now = System.nanoTime();
        if (!checked || now - checkedAtNanos >= CHECK_EVERY_NANOS) {
            long before = millis.getAsLong();
            long server = serverMillis.getAsLong();
            long after = millis.getAsLong();
            long skew = server - (before + (after - before) / 2);
            boolean agreed = !checked || Math.abs(skewMillis) <= MAX_SKEW_MILLIS;
            skewMillis = skew;
            checkedAtNanos = now;
            checked = true;
            boolean agrees = Math.abs(skew) <= MAX_SKEW_MILLIS;
            if (agreed && !agrees) {
                WardenLog.warn("state store " + shared.describe() + ": " + difference(skew)
                        + ": the actions that count in a window are refused until the clocks agree");
            } else if (!agreed && agrees) {
                WardenLog.info("state store " + shared.describe() + ": its clock and this JVM's agree again");
            }
        }
        long skew = skewMillis;
        if (Math.abs(skew) > MAX_SKEW_MILLIS) {
            throw new StateStoreException(difference(skew), null);
        }
    }

    private static String difference(long skew) {
        return String.format(Locale.ROOT, "its clock is %.3f s %s this JVM's (at most %d ms apart: windows counted by two clocks do not hold)",
                Math.abs(skew) / 1000.0, skew > 0 ? "ahead of" : "behind", MAX_SKEW_MILLIS);
    }
}
