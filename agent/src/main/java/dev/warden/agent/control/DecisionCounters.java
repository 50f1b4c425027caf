package dev.warden.agent.control;

import dev.warden.receipts.Receipt;
import dev.warden.receipts.Repeats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Decisions counted by surface and outcome, from the receipts as they are written (a counted receipt
 * of a refusal burst adds its count). Striped adders: the appending threads never contend on one.
 */
public final class DecisionCounters implements Consumer<Receipt> {
    /** The outcomes, in the order of {@link Counts}' fields. */
    private static final String[] OUTCOMES = {"PERMIT", "DENY", "SILENCE", "HOLD"};

    private final Map<String, LongAdder[]> bySurface = new ConcurrentHashMap<>();

    /** One surface's (or, summed, the agent's) decisions by outcome; {@code notEnforced}: recorded in shadow. */
    public record Counts(long permits, long denials, long silences, long holds, long notEnforced) {
        public long total() {
            return permits + denials + silences + holds;
        }

        Counts plus(Counts other) {
            return new Counts(permits + other.permits, denials + other.denials, silences + other.silences,
                    holds + other.holds, notEnforced + other.notEnforced);
        }
    }

    @Override
    public void accept(Receipt receipt) {
        LongAdder[] counters = bySurface.computeIfAbsent(receipt.surface(), surface -> newCounters());
        long decisions = Repeats.decisions(receipt.draft());
        for (int i = 0; i < OUTCOMES.length; i++) {
            if (OUTCOMES[i].equals(receipt.outcome())) {
                counters[i].add(decisions);
            }
        }
        if (!receipt.enforced()) {
            counters[OUTCOMES.length].add(decisions);
        }
    }

    public Counts of(String surface) {
        LongAdder[] counters = bySurface.get(surface);
        return counters == null ? new Counts(0, 0, 0, 0, 0) : counts(counters);
    }

    public Counts all() {
        return bySurface.values().stream().map(DecisionCounters::counts).reduce(new Counts(0, 0, 0, 0, 0), Counts::plus);
    }

    private static Counts counts(LongAdder[] c) {
        return new Counts(c[0].sum(), c[1].sum(), c[2].sum(), c[3].sum(), c[4].sum());
    }

    private static LongAdder[] newCounters() {
        LongAdder[] counters = new LongAdder[OUTCOMES.length + 1];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
        return counters;
    }
}
