package dev.warden.agent.context;

import dev.warden.agent.logging.WardenLog;
import dev.warden.rules.state.StatePolicy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The receipt log as the in-process store's history, brought forward from a snapshot: the store is restored as the
 * previous start's replay left it, and only the receipts recorded since are replayed; then a new snapshot is kept.
 * So the wait at a start's first decision grows with what the last run recorded, not with the whole log. A snapshot
 * that is missing, changed, made for other rules, or whose receipt is no longer where it was (the log was pruned or
 * rewritten) is set aside and the whole log replayed, as without snapshots.
 */
public final class SnapshottedHistory implements History {

    private final ReceiptHistory log;
    private final InProcessStateStore store;
    private final StateSnapshots snapshots;

    /**
     * @param store the store the stage replays into: restored here before the first receipt is handed over
     * @param cache the directory the snapshots are kept in (Warden's cache directory)
     */
    public SnapshottedHistory(Path receipts, InProcessStateStore store, Path cache, LongSupplier millis) {
        this(new ReceiptHistory(receipts), store, new StateSnapshots(cache, receipts, millis));
    }

    SnapshottedHistory(ReceiptHistory log, InProcessStateStore store, StateSnapshots snapshots) {
        this.log = log;
        this.store = store;
        this.snapshots = snapshots;
    }

    /** The whole log, read from its start (what a replay that keeps no snapshot needs: the approval stage's). */
    @Override
    public void replay(Consumer<PastAction> each) {
        log.replay(each);
    }

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
        LogMark from = restore(purpose);
        LogMark reached = log.replayAfter(from, each);
        if (!from.isStart()) {
            WardenLog.info("state restored from a snapshot of the first " + from.receipts() + " receipts; "
                    + (reached.receipts() - from.receipts()) + " replayed after it");
        }
        if (!reached.equals(from)) {
            try {
                snapshots.write(purpose, reached, store);
            } catch (IOException | RuntimeException failure) {
                WardenLog.info("the state could not be kept for the next start (" + failure
                        + "): it will replay the receipt log from " + from);
            }
        }
    }

    /** Restores the store from the snapshot for {@code purpose} if there is one to use; where to replay on from. */
    private LogMark restore(String purpose) {
        Optional<StateSnapshots.Snapshot> found;
        try {
            found = snapshots.read(purpose);
        } catch (StateSnapshots.Rejected rejected) {
            String setAside = "the state snapshot " + snapshots + " is set aside (" + rejected.getMessage()
                    + "): the whole receipt log is replayed";
            if (rejected.changed()) {
                WardenLog.warn(setAside);
            } else {
                WardenLog.info(setAside);
            }
            return LogMark.START;
        } catch (IOException | RuntimeException unreadable) {
            WardenLog.warn("the state snapshot cannot be read (" + unreadable + "): the whole receipt log is replayed");
            return LogMark.START;
        }
        if (found.isEmpty()) {
            return LogMark.START;
        }
        StateSnapshots.Snapshot snapshot = found.get();
        if (!log.holds(snapshot.mark())) {
            WardenLog.info("the state snapshot's last receipt, " + snapshot.mark() + ", is no longer where it was (the log"
                    + " was pruned or rewritten): the whole receipt log is replayed");
            return LogMark.START;
        }
        store.restore(snapshot.store());
        return snapshot.mark();
    }
}
