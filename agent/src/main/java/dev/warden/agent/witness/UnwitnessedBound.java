package dev.warden.agent.witness;

import java.time.Duration;

/**
 * How far a witness may fall behind before the operator is alerted: {@code witness-alert-receipts}
 * receipts signed but not cosigned, or {@code witness-alert-after} since the oldest such checkpoint.
 */
public record UnwitnessedBound(long receipts, Duration age) {

    boolean exceeded(long unwitnessedReceipts, long waitedNanos) {
        return unwitnessedReceipts > receipts || waitedNanos > age.toNanos();
    }

    @Override
    public String toString() {
        return receipts + " receipts or " + age.toMillis() + " ms";
    }
}
