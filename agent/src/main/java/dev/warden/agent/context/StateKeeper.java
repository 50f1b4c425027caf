package dev.warden.agent.context;

import dev.warden.agent.logging.WardenLog;
import dev.warden.rules.state.StatePolicy;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Brings the state snapshot forward while the host runs, so that a start after a long run replays only what was
 * recorded since the last pass, not everything the run recorded. A pass does what the next start would: restores the
 * snapshot into a store and other stages' state of its own (never the live ones), counts the receipts the log holds
 * after it with contributors of its own, and keeps the result. It reads only the log, so the snapshot is the state a
 * replay of the log gives, by construction: actions in flight, between their reservation and their receipt, are not in
 * it, and calls whose usage has not been reported yet are kept as such. A pass costs about a microsecond of this
 * thread's CPU per receipt recorded since the last one, the replay the next start no longer does.
 */
public final class StateKeeper {

    private final Path receipts;
    private final Path cache;
    private final LongSupplier millis;
    private final Supplier<StatePolicy> policy;
    private final ReplayedState.Apart beside;
    private final ScheduledExecutorService thread;

    /**
     * @param policy the state policy the live stage decides by, or null until it has replayed the log (the start's own
     *               replay keeps the first snapshot)
     */
    private StateKeeper(Path receipts, Path cache, LongSupplier millis, Supplier<StatePolicy> policy, ReplayedState.Apart beside,
                        ThreadFactory threads) {
        this.receipts = receipts;
        this.cache = cache;
        this.millis = millis;
        this.policy = policy;
        this.beside = beside;
        this.thread = Executors.newSingleThreadScheduledExecutor(threads);
    }

    /**
     * Starts a keeper that makes a pass every {@code intervalMillis} on a thread of {@code threads}, for the life of the JVM (a
     * daemon: a pass cut short at exit leaves the last snapshot kept, which is written whole or not at all).
     */
    public static void start(long intervalMillis, Path receipts, Path cache, LongSupplier millis, Supplier<StatePolicy> policy,
                             ReplayedState.Apart beside, ThreadFactory threads) {
        StateKeeper keeper = new StateKeeper(receipts, cache, millis, policy, beside, threads);
        keeper.thread.scheduleWithFixedDelay(keeper::passQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * One pass, now, on the caller's thread (tests; the scheduled passes call it on the keeper's).
     *
     * @param beside what other stages rebuild beside the store: over state of the pass's own, never the live stages'
     */
    static void pass(Path receipts, Path cache, LongSupplier millis, StatePolicy policy, ReplayedState.Apart beside) {
        InProcessStateStore shadow = new InProcessStateStore(millis);
        new SnapshottedHistory(new ReceiptHistory(receipts), shadow, new StateSnapshots(cache, receipts, millis), false)
                .replay(StateContributors.of(policy, shadow, beside::over), millis.getAsLong());
    }

    private void passQuietly() {
        StatePolicy inUse = policy.get();
        if (inUse == null) {
            return;
        }
        try {
            pass(receipts, cache, millis, inUse, beside);
        } catch (VirtualMachineError failure) {
            // A pass holds a second copy of the state: not tried again in a JVM short of memory.
            WardenLog.warn("the state snapshot is no longer brought forward (" + failure + "); the next start replays more of the log");
            thread.shutdown();
        } catch (RuntimeException | Error failure) {
            // The live state is not touched; the next start replays from the last snapshot kept.
            WardenLog.warn("the state snapshot could not be brought forward (" + failure + "); the next start replays more of the log");
        }
    }
}
