package dev.warden.agent.replay;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The time of the receipt being replayed: windows, rates and budget periods see the log's time, not today's. */
final class ReplayClock extends Clock {

    private volatile Instant now = Instant.EPOCH;

    void set(Instant time) {
        now = time;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("replay runs in UTC");
    }
}
