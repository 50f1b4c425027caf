package dev.warden.agent.witness;

import dev.warden.agent.engine.ActionIds;
import dev.warden.agent.logging.WardenLog;
import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptWriteException;
import dev.warden.receipts.SignedNote;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The signer's side of witnessing: told of each checkpoint the log signs (on the signer thread, so it
 * only records it and wakes the feeds), it has one {@link WitnessFeed} a witness bring them
 * up to date, stores their cosignatures in the log and the export, and keeps the status file.
 *
 * <p>A witness that refuses the log's history raises the alarm three ways: an always-printed
 * {@code warden: ALARM:} line, {@code state=refused} in the status file, and a receipt in the log
 * itself (surface {@code warden}, operation {@code witness-refused}, outcome {@code DENY}), which the
 * next checkpoint signs like any other.
 */
public final class Witnessing implements CheckpointListener, WitnessFeed.Outlet {
    /** How long {@link ReceiptLog#close()} waits for witnesses to cosign the last checkpoint. */
    static final Duration CLOSING_WAIT = Duration.ofSeconds(5);
    /** 32 MiB of leaf hashes: how far behind a witness can fall and still be caught up. */
    static final int MAX_REMEMBERED_LEAVES = 1 << 20;

    private final TreeMemory memory = new TreeMemory(MAX_REMEMBERED_LEAVES);
    private final List<WitnessFeed> feeds;
    private final CheckpointExport export;   // nullable
    private final StatusFile status;          // nullable without witnesses
    private final ThreadFactory threads;
    private final Clock clock;
    private volatile NewCheckpoint latest;
    private volatile ReceiptLog log;
    private volatile RefusalRecorder recorder; // null until the record stage exists: then refusals go through it
    private volatile java.util.function.Consumer<SignedNote> cosignedCopy = note -> { };

    private Witnessing(List<WitnessEndpoint> witnesses, Path export, UnwitnessedBound bound, Path receipts,
                       ThreadFactory threads, Clock clock) {
        WitnessClient client = new WitnessClient(Duration.ofSeconds(2), Duration.ofSeconds(5));
        this.feeds = witnesses.stream().map(w -> new WitnessFeed(w, client, memory, this, bound, System::nanoTime)).toList();
        this.export = export == null ? null : new CheckpointExport(export, threads);
        this.status = witnesses.isEmpty() ? null : new StatusFile(receipts);
        this.threads = threads;
        this.clock = clock;
    }

    /** Null when there is nothing to do: no witnesses and no export. */
    public static Witnessing of(List<WitnessEndpoint> witnesses, Path export, UnwitnessedBound bound, Path receipts,
                                ThreadFactory threads, Clock clock) {
        if (witnesses.isEmpty() && export == null) {
            return null;
        }
        return new Witnessing(witnesses, export, bound, receipts, threads, clock);
    }

    /** Also hands every cosigned checkpoint to {@code copy} (the SIEM stream). */
    public void copyCosignedTo(java.util.function.Consumer<SignedNote> copy) {
        this.cosignedCopy = copy;
    }

    /** Records a witness's refusal as the record stage records any receipt. */
    @FunctionalInterface
    public interface RefusalRecorder {
        void record(ReceiptDraft draft) throws ReceiptWriteException;
    }

    /**
     * Records refusals through the record stage from now on, so the SIEM stream and the counters see them like
     * every other receipt (before it exists, they are appended to the log directly).
     */
    public void recordRefusalsWith(RefusalRecorder stage) {
        this.recorder = stage;
    }

    /** Starts the feeds once the log they record cosignatures in is open. */
    public void start(ReceiptLog openedLog) {
        this.log = openedLog;
        feeds.forEach(feed -> threads.newThread(feed).start());
    }

    @Override
    public void signed(NewCheckpoint checkpoint) {
        if (!feeds.isEmpty()) {
            memory.add(checkpoint);
        }
        latest = checkpoint;
        if (export != null) {
            export.append(checkpoint.note());
        }
        feeds.forEach(WitnessFeed::wake);
    }

    @Override
    public void closing() {
        NewCheckpoint last = latest;
        if (last != null && log != null) {
            long[] attemptsBefore = feeds.stream().mapToLong(WitnessFeed::attempts).toArray();
            feeds.forEach(WitnessFeed::hurry);
            long deadline = System.nanoTime() + CLOSING_WAIT.toNanos();
            // Each witness gets its chance at the last checkpoint: it cosigns it, or one more attempt fails.
            for (int i = 0; i < feeds.size(); i++) {
                WitnessFeed feed = feeds.get(i);
                while (feed.cosignedSize() < last.checkpoint().size() && feed.attempts() <= attemptsBefore[i] + 1
                        && System.nanoTime() < deadline) {
                    sleepBriefly();
                }
            }
        }
        feeds.forEach(WitnessFeed::stop);
        if (export != null) {
            export.close();
        }
    }

    @Override
    public NewCheckpoint latest() {
        return latest;
    }

    @Override
    public void cosigned(WitnessEndpoint witness, SignedNote cosigned) {
        ReceiptLog target = log;
        if (target != null) {
            target.recordCosigned(cosigned);
        }
        if (export != null) {
            export.append(cosigned);
        }
        cosignedCopy.accept(cosigned);
        long everyone = feeds.stream().mapToLong(WitnessFeed::cosignedSize).min().orElse(0);
        memory.forgetBefore(everyone);
    }

    @Override
    public void state(FeedState state) {
        if (status != null) {
            status.update(state);
        }
    }

    @Override
    public void refused(WitnessEndpoint witness, long checkpointSize, long witnessSize, int status, String why) {
        String message = "witness " + witness.name() + " (" + witness.prefix() + ") refused checkpoint " + checkpointSize
                + " (HTTP " + status + "): " + why;
        WardenLog.alarm(message);
        ReceiptLog target = log;
        if (target == null) {
            return;
        }
        try {
            RefusalRecorder stage = recorder;
            ReceiptDraft draft = new ReceiptDraft(ActionIds.next(), clock.instant(), "warden", null, null,
                    "warden", "witness-refused", witness.name(), null,
                    Map.of("witness", witness.key().vkey(), "url", witness.prefix().toString(), "status", String.valueOf(status),
                            "checkpointSize", String.valueOf(checkpointSize), "witnessSize", String.valueOf(witnessSize)),
                    "DENY", true, List.of("witness:" + witness.name()), message, Map.of(), null);
            if (stage != null) {
                stage.record(draft);
            } else {
                target.append(draft);
            }
        } catch (ReceiptWriteException e) {
            WardenLog.alarm("the refusal could not be recorded in the receipts: " + e.getMessage());
        }
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
