package dev.warden.agent.control;

import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;

import java.time.Clock;
import java.time.Instant;

/** The size and time of the last checkpoint the log signed, for the operator. */
public final class LastCheckpoint implements CheckpointListener {
    private final Clock clock;
    private volatile Seen seen;

    record Seen(long size, Instant time) {
    }

    public LastCheckpoint(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void signed(NewCheckpoint checkpoint) {
        seen = new Seen(checkpoint.checkpoint().size(), clock.instant());
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
}
