package dev.warden.agent.record;

import java.time.Duration;

/**
 * How refusal bursts are recorded.
 *
 * @param window       identical refusals less than this apart belong to one burst; counted refusals are
 *                     written at the latest this long after the first of them (the most a crash can lose)
 * @param fullReceipts the first refusals of a burst that get full receipts of their own
 * @param maxCount     a counted receipt is written once it stands for this many refusals
 */
public record BurstRules(Duration window, int fullReceipts, long maxCount) {

    public static final int FULL_RECEIPTS = 3;
    public static final long MAX_COUNT = 100_000;

    public BurstRules {
        if (window.isNegative() || window.isZero() || fullReceipts < 1 || maxCount < 1) {
            throw new IllegalArgumentException("a positive window, full receipts and count");
        }
    }

    public static BurstRules within(Duration window) {
        return new BurstRules(window, FULL_RECEIPTS, MAX_COUNT);
    }
}
