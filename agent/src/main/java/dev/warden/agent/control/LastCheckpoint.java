package dev.warden.agent.control;

import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;
import dev.warden.receipts.Receipt;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The size and time of the last checkpoint the log signed, and how far the log's receipts are ahead of
 * it, for the operator: told of every checkpoint and every receipt written.
 */
public final class LastCheckpoint implements CheckpointListener, Consumer<Receipt> {
    private final Clock clock;
    private volatile Seen seen;
    /** The sequence number after the last receipt written, and of the first this process wrote (-1 before). */
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong first = new AtomicLong(-1);

    record Seen(long size, Instant time) {
    }

    public LastCheckpoint(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void signed(NewCheckpoint checkpoint) {
        seen = new Seen(checkpoint.checkpoint().size(), clock.instant());
    }

    @Override
    public void accept(Receipt receipt) {
        first.compareAndSet(-1, receipt.sequence());
        appended.accumulateAndGet(receipt.sequence() + 1, Math::max);
    }

    /** -1 before the first checkpoint. */
    public long size() {
        Seen last = seen;
        return last == null ? -1 : last.size();
    }

    /** ISO-8601, or "" before the first checkpoint. */
    public String time() {
        Seen last = seen;
        return last == null ? "" : last.time().toString();
    }

    /** Milliseconds since the last checkpoint; -1 before the first. */
    public long ageMillis() {
        Seen last = seen;
        return last == null ? -1 : Math.max(0, clock.millis() - last.time().toEpochMilli());
    }

    /**
     * Receipts written that no signed checkpoint covers yet: those this process wrote after its last
     * checkpoint (before its first, all it wrote); 0 before it wrote any.
     */
    public long lag() {
        long from = first.get();
        if (from < 0) {
            return 0;
        }
        return Math.max(0, appended.get() - Math.max(from, size()));
    }
}
