package dev.warden.agent.context;

import dev.warden.agent.logging.WardenLog;
import dev.warden.rules.state.StatePolicy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The receipt log as the in-process store's history, brought forward from a snapshot: the store is restored as the
 * previous start's replay left it, and only the receipts recorded since are replayed; then a new snapshot is kept.
 * So the wait at a start's first decision grows with what the last run recorded, not with the whole log. The state is
 * always the one a replay of the whole log would give: a snapshot that is missing, changed, made for other rules,
 * whose receipt is no longer where it was, or followed by a prune (the log no longer holds some of what it counted)
 * is not used, and the whole log is replayed.
 */
public final class SnapshottedHistory implements History {

    private final ReceiptHistory log;
    private final InProcessStateStore store;
    private final StateSnapshots snapshots;
    private final Predicate<String> kept;

    /**
     * @param store the store the stage replays into: restored here before the first receipt is handed over
     * @param cache the directory the snapshots are kept in (Warden's cache directory)
     * @param kept  the store's counters the stage's replay makes (others, replayed by someone else, are not kept)
     */
    public SnapshottedHistory(Path receipts, InProcessStateStore store, Path cache, LongSupplier millis, Predicate<String> kept) {
        this(new ReceiptHistory(receipts), store, new StateSnapshots(cache, receipts, millis), kept);
    }

    SnapshottedHistory(ReceiptHistory log, InProcessStateStore store, StateSnapshots snapshots, Predicate<String> kept) {
        this.log = log;
        this.store = store;
        this.snapshots = snapshots;
        this.kept = kept;
    }

    /** The whole log, read from its start (what a replay that keeps no snapshot needs: the approval stage's). */
    @Override
    public void replay(Consumer<PastAction> each) {
        log.replay(each);
    }

    /**
     * Brings the store forward from the snapshot for {@code policy} if there is one to use, hands {@code each} the
     * receipts after it (all of them otherwise), and keeps a new snapshot. Runs once, at the first decision, before
     * anything else writes to the store (the approval stage replays its tiers' counters at the first tiered action,
     * which comes after): restoring it, or starting over after a prune, replaces all it holds.
     */
    @Override
    public void replay(StatePolicy policy, Consumer<PastAction> each) {
        String purpose;
        try {
            purpose = snapshots.purpose(policy);
        } catch (RuntimeException unknownBuild) {
            WardenLog.info("no state snapshot can be used (" + unknownBuild + "): the whole receipt log is replayed");
            log.replay(each);
            return;
        }
        Optional<StateSnapshots.Snapshot> snapshot = read(purpose);
        LogMark from = LogMark.START;
        LogMark reached;
        if (snapshot.isPresent()) {
            try {
                reached = log.replayAfter(snapshot.get().mark(), () -> store.restore(snapshot.get().store()), each);
                from = snapshot.get().mark();
                WardenLog.info("state restored from a snapshot of the first " + from.receipts() + " receipts; "
                        + (reached.receipts() - from.receipts()) + " replayed after it");
            } catch (ReceiptHistory.MarkLost lost) {
                WardenLog.info("the state snapshot is not used (" + lost.getMessage() + "): the whole receipt log is replayed");
                store.clear();
                reached = wholeLog(each);
            }
        } else {
            reached = wholeLog(each);
        }
        if (!reached.equals(from)) {
            try {
                // Written before any action of this process is recorded: every action before the mark was observed
                // (a call's usage settled its budget) before this process started, so nothing waits on the snapshot.
                snapshots.write(purpose, reached, store, kept);
            } catch (IOException | RuntimeException failure) {
                WardenLog.info("the state could not be kept for the next start (" + failure
                        + "): it will replay the receipt log from " + from);
            }
        }
    }

    private LogMark wholeLog(Consumer<PastAction> each) {
        try {
            return log.replayAfter(LogMark.START, () -> { }, each);
        } catch (ReceiptHistory.MarkLost impossible) {
            throw new IllegalStateException(impossible); // a replay from the start has no mark to lose
        }
    }

    /** The snapshot for {@code purpose}, if there is one to use. */
    private Optional<StateSnapshots.Snapshot> read(String purpose) {
        try {
            return snapshots.read(purpose);
        } catch (StateSnapshots.Rejected rejected) {
            String notUsed = "the state snapshot " + snapshots + " is not used (" + rejected.getMessage()
                    + "): the whole receipt log is replayed";
            if (rejected.changed()) {
                WardenLog.warn(notUsed);
            } else {
                WardenLog.info(notUsed);
            }
        } catch (IOException | RuntimeException unreadable) {
            WardenLog.warn("the state snapshot " + snapshots + " cannot be read (" + unreadable
                    + "): the whole receipt log is replayed");
        }
        return Optional.empty();
    }
}
