package dev.warden.agent.context;

import dev.warden.agent.logging.WardenLog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
    private final boolean announce;

    /**
     * @param store the store the stage replays into: restored here before the first receipt is handed over
     * @param cache the directory the snapshots are kept in (Warden's cache directory)
     */
    public SnapshottedHistory(Path receipts, InProcessStateStore store, Path cache, LongSupplier millis) {
        this(new ReceiptHistory(receipts), store, new StateSnapshots(cache, receipts, millis), true);
    }

    /** @param announce whether to say what the replay started from (a start does; bringing a snapshot forward does not) */
    SnapshottedHistory(ReceiptHistory log, InProcessStateStore store, StateSnapshots snapshots, boolean announce) {
        this.log = log;
        this.store = store;
        this.snapshots = snapshots;
        this.announce = announce;
    }

    /** The whole log, read from its start (what a replay that keeps no snapshot needs). */
    @Override
    public void replay(Consumer<PastAction> each) {
        log.replay(each);
    }

    /**
     * Brings the store and {@code contributors} forward from the snapshot for their policy if there is one to use,
     * counts the receipts after it (all of them otherwise), and keeps a new snapshot. At a start it runs once, at the
     * first decision, before anything else writes to the store or to what other stages rebuild beside it (the approval
     * stage asks only after the context stage): restoring it, or starting over after a prune, replaces all they hold.
     */
    @Override
    public long replay(StateContributors contributors, long nowMillis) {
        String purpose;
        try {
            purpose = snapshots.purpose(contributors.policy(), contributors.beside());
        } catch (RuntimeException unknownBuild) {
            say("no state snapshot can be used (" + unknownBuild + "): the whole receipt log is replayed");
            return History.super.replay(contributors, nowMillis);
        }
        Consumer<PastAction> each = past -> contributors.replay(past, nowMillis);
        Optional<StateSnapshots.Snapshot> snapshot = read(purpose);
        LogMark from = LogMark.START;
        LogMark reached;
        if (snapshot.isPresent()) {
            try {
                reached = log.replayAfter(snapshot.get().mark(), () -> restore(snapshot.get(), contributors, nowMillis), each);
                from = snapshot.get().mark();
                say("state restored from a snapshot of the first " + from.receipts() + " receipts; "
                        + (reached.receipts() - from.receipts()) + " replayed after it");
            } catch (ReceiptHistory.MarkLost | Unusable lost) {
                say("the state snapshot is not used (" + lost.getMessage() + "): the whole receipt log is replayed");
                store.clear();
                contributors.startOver(nowMillis);
                reached = wholeLog(each);
            }
        } else {
            reached = wholeLog(each);
        }
        if (!reached.equals(from)) {
            try {
                // The calls seen to run without their usage yet are kept too: their reports may follow the mark.
                snapshots.write(purpose, reached, store, contributors.pending(nowMillis), contributors.beside());
            } catch (IOException | RuntimeException failure) {
                String notKept = "the state could not be kept for the next start (" + failure
                        + "): it will replay the receipt log from " + from;
                if (announce) {
                    WardenLog.info(notKept);
                } else {
                    WardenLog.warn(notKept); // a pass that keeps nothing has done nothing
                }
            }
        }
        return reached.receipts() - from.receipts();
    }

    /** Why a snapshot that verified cannot be restored here: what it holds does not fit this policy. */
    private static final class Unusable extends RuntimeException {
        Unusable(String why) {
            super(why);
        }
    }

    private void restore(StateSnapshots.Snapshot snapshot, StateContributors contributors, long nowMillis) {
        store.restore(snapshot.store());
        try {
            contributors.restorePending(snapshot.pending(), nowMillis);
            snapshot.restoreBeside(contributors.beside(), nowMillis);
        } catch (IllegalArgumentException | IOException misfit) {
            throw new Unusable(misfit.getMessage());
        }
    }

    private void say(String message) {
        if (announce) {
            WardenLog.info(message);
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
