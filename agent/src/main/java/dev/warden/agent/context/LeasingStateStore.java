package dev.warden.agent.context;

import dev.warden.rules.state.Window;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Keeps high-volume limits off the network: for a sliding window whose maximum is at least
 * {@value #LEASED_FROM}, a JVM reserves a slice of units in the shared store at once (one round trip)
 * and hands them out locally, one per action, while the bucket it reserved them in is the current one.
 * <ul>
 *   <li>Never overshoots: every unit is counted in the shared store, in the bucket it is used in,
 *       before any action gets it.</li>
 *   <li>May undershoot, by little: units a JVM reserved and has not used yet are counted, so other
 *       JVMs may be refused while it holds them — at most a slice ({@code max / }{@value #LEASED_FROM},
 *       at most {@value #MAX_SLICE}) per JVM and key, given back when the bucket changes. Once a
 *       slice no longer fits, the rest of the bucket is reserved unit by unit, as without a lease.</li>
 *   <li>The count in a receipt is this JVM's view: what the store counted when the slice was taken,
 *       plus what this JVM used of it since.</li>
 * </ul>
 * Everything else (small limits, loops, budgets, calendar windows, labels) goes to the shared store
 * each time.
 */
public final class LeasingStateStore extends ForwardingStateStore {

    /** A limit smaller than this is exact to the unit across JVMs: it is never leased. */
    static final long LEASED_FROM = 1_000;
    static final long MAX_SLICE = 64;
    private static final int SWEEP_EVERY = 4096;

    private final LongSupplier millis;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();

    /** Units of one key reserved in the shared store for one bucket, not yet handed out. */
    private static final class Lease {
        long bucket = Long.MIN_VALUE;
        long expiresAt;
        long left;
        /** What the store counted before the slice, plus what was handed out of it: for receipts. */
        long counted;
        /** The bucket in which no slice fits any more: its units are reserved one by one. */
        long unitByUnit = Long.MIN_VALUE;
    }

    public LeasingStateStore(StateStore shared, LongSupplier millis) {
        super(shared);
        this.millis = millis;
    }

    @Override
    public Acquisition acquire(String key, Window.Span span, long amount, long max) {
        long slice = Math.min(MAX_SLICE, max / LEASED_FROM);
        if (amount != 1 || slice < 2 || span.oldest() == span.current()) {
            return shared.acquire(key, span, amount, max);
        }
        Lease lease = leases.get(key);
        if (lease == null) {
            lease = leases.computeIfAbsent(key, ignored -> new Lease());
            if (created.incrementAndGet() % SWEEP_EVERY == 0) {
                sweep();
            }
        }
        synchronized (lease) {
            if (lease.bucket == span.current() && lease.left > 0) {
                lease.left--;
                return new Acquisition(true, lease.counted++, span.current());
            }
            giveBackUnused(key, lease);
            if (lease.unitByUnit == span.current()) {
                return shared.acquire(key, span, 1, max);
            }
            Acquisition taken = shared.acquire(key, span, slice, max);
            if (!taken.granted()) {
                lease.unitByUnit = span.current();
                return shared.acquire(key, span, 1, max);
            }
            lease.bucket = span.current();
            lease.expiresAt = span.expiresAtMillis();
            lease.left = slice - 1;
            lease.counted = taken.before() + 1;
            return new Acquisition(true, taken.before(), span.current());
        }
    }

    @Override
    public void adjust(String key, long bucket, long expiresAtMillis, long delta) {
        Lease lease = leases.get(key);
        if (lease != null && delta < 0) {
            synchronized (lease) {
                // A unit handed out of the current slice goes back to it (not to the store, where it
                // is still counted as part of the slice).
                if (lease.bucket == bucket && lease.unitByUnit != bucket) {
                    lease.left -= delta;
                    lease.counted += delta;
                    return;
                }
            }
        }
        shared.adjust(key, bucket, expiresAtMillis, delta);
    }

    /** Gives back what the slices did not use, then closes the shared store. */
    @Override
    public void close() {
        try {
            leases.forEach((key, lease) -> {
                synchronized (lease) {
                    giveBackUnused(key, lease);
                }
            });
        } catch (RuntimeException unreachable) {
            // the units stay counted until their bucket stops counting: never too few
        } finally {
            shared.close();
        }
    }

    /** The slice of a bucket that is no longer the current one: its unused units are given back. */
    private void giveBackUnused(String key, Lease lease) {
        if (lease.left > 0) {
            long unused = lease.left;
            lease.left = 0;
            shared.adjust(key, lease.bucket, lease.expiresAt, -unused);
        }
    }

    private void sweep() {
        long now = millis.getAsLong();
        leases.values().removeIf(lease -> {
            synchronized (lease) {
                return lease.expiresAt != 0 && lease.expiresAt <= now;
            }
        });
    }
}
