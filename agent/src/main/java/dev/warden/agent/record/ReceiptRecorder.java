package dev.warden.agent.record;

import dev.warden.agent.logging.WardenLog;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptWriteException;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The record stage: where decisions are recorded before their actions run. Identical refusals repeated
 * within a window are counted rather than each written in full ({@link RefusalBursts}); below the
 * free-space watermark the stage asks the engine to refuse every action ({@link #refusal()}), and below
 * its floor it writes nothing more. When the receipt log could not be opened (a read-only or full
 * directory), every append fails, and so every action is refused: an action without a receipt never runs. So is every
 * action while the log's files are no longer where it writes them ({@link #RECEIPTS_GONE}): what it wrote from then on
 * would be in a file nobody can read.
 */
public final class ReceiptRecorder implements AutoCloseable {

    /** Opens the reason of every refusal while the receipts directory is deleted, moved away or replaced. */
    public static final String RECEIPTS_GONE = "warden.receipts-gone";

    private final ReceiptLog log;
    private final java.util.function.Consumer<ReceiptDraft> capture; // instead of the log: a policy test's memory
    private final String unavailable;
    private final RefusalBursts bursts;     // null: every refusal in full
    private final DiskWatermark watermark;
    private final Clock clock;
    private final Supplier<String> ids;
    private final AtomicLong written = new AtomicLong();
    private volatile boolean failing;       // the last counted receipt could not be written (warn once)
    private volatile String misplaced;      // why the log's files are not where it writes them, or null: sampled
    private volatile boolean closed;
    private Housekeeper housekeeper;
    private volatile java.util.function.Consumer<Receipt> observers; // null: nobody (counters, the SIEM stream)

    private ReceiptRecorder(ReceiptLog log, String unavailable, RefusalBursts bursts, DiskWatermark watermark,
                            Clock clock, Supplier<String> ids) {
        this(log, null, unavailable, bursts, watermark, clock, ids);
    }

    private ReceiptRecorder(ReceiptLog log, java.util.function.Consumer<ReceiptDraft> capture, String unavailable,
                            RefusalBursts bursts, DiskWatermark watermark, Clock clock, Supplier<String> ids) {
        this.log = log;
        this.capture = capture;
        this.unavailable = unavailable;
        this.bursts = bursts;
        this.watermark = watermark;
        this.clock = clock;
        this.ids = ids;
    }

    /** Every decision in full, no watermark. */
    public static ReceiptRecorder writingTo(ReceiptLog log) {
        return new ReceiptRecorder(log, null, null, DiskWatermark.none(), Clock.systemUTC(), null);
    }

    /**
     * @param bursts    refusal bursts, or null to write every refusal in full
     * @param watermark the receipts directory's free-space watermark
     * @param ids       ids of counted receipts (UUIDv7, as the engine's)
     */
    public static ReceiptRecorder writingTo(ReceiptLog log, RefusalBursts bursts, DiskWatermark watermark, Clock clock,
                                            Supplier<String> ids) {
        return new ReceiptRecorder(log, null, bursts, watermark, clock, ids);
    }

    /** Hands each decision's draft to {@code drafts} instead of a log: a policy test reads what the agent would record. */
    public static ReceiptRecorder capturing(java.util.function.Consumer<ReceiptDraft> drafts) {
        return new ReceiptRecorder(null, drafts, null, null, DiskWatermark.none(), Clock.systemUTC(), null);
    }

    public static ReceiptRecorder unavailable(String why) {
        return new ReceiptRecorder(null, why, null, DiskWatermark.none(), Clock.systemUTC(), null);
    }

    /**
     * Tells {@code observer} of every receipt this stage writes, on the writing thread, after it is
     * appended: it must only count or hand off. What it throws is ignored (the receipt stands).
     */
    public synchronized void observe(java.util.function.Consumer<Receipt> observer) {
        java.util.function.Consumer<Receipt> before = observers;
        observers = before == null ? observer : before.andThen(observer);
    }

    /** Whether receipts go to a log (not refused for want of one, nor captured by a policy test). */
    public boolean writesLog() {
        return log != null;
    }

    /** Why every action is refused now (the receipts directory gone, too little space for receipts), or null. */
    public String refusal() {
        String gone = misplaced;
        return gone != null ? gone : watermark.refusal();
    }

    /**
     * Records one decision before its action runs.
     *
     * @return the id of the receipt the decision cites: its own, or, for a refusal counted in a burst,
     *         the burst's first receipt (already written); the counted receipt follows within a window
     * @throws ReceiptWriteException when nothing could be written: the gate then refuses the action
     */
    public String record(ReceiptDraft draft) throws ReceiptWriteException {
        if (log == null && capture == null) {
            throw new ReceiptWriteException("receipt log unavailable: " + unavailable);
        }
        if (closed) {
            throw new ReceiptWriteException("receipt log " + log.directory() + " is closed");
        }
        if (bursts == null) {
            write(draft);
            return draft.id();
        }
        RefusalBurst.Step step = RefusalBursts.compactable(draft) ? bursts.refuse(draft) : null;
        if (step != null && step.closing() != null) {
            writeCounted(List.of(step.closing()));
        }
        if (step != null && !step.writeInFull()) {
            return step.cite();
        }
        if (bursts.anyCounting()) {
            writeCounted(bursts.takeCounted(BurstKey.Owner.of(draft), draft.time()));
        }
        write(draft);
        if (step != null && step.burst() != null) {
            step.burst().written(draft.id());
        }
        return draft.id();
    }

    /**
     * Whether the log this recorder writes to appended {@code stored} (see {@link ReceiptLog#wrote}); false without a
     * log: a recorder that writes none vouches for no receipt.
     */
    public boolean wrote(dev.warden.receipts.LogEntry.StoredReceipt stored) {
        return log != null && log.wrote(stored);
    }

    /**
     * Samples the free space and writes the counted receipts that are due. Called by the housekeeping
     * thread, and by tests with their own clock.
     */
    public void housekeep() {
        watermark.sample();
        sampleFiles();
        if (bursts != null) {
            writeCounted(bursts.takeDue(clock.instant()));
        }
    }

    /** Starts housekeeping on a thread of {@code threads}, every {@code interval} of the bursts' window (or 250 ms). */
    public void startHousekeeping(ThreadFactory threads) {
        if (log == null) {
            return;
        }
        long window = bursts == null ? Long.MAX_VALUE : bursts.rules().window().toNanos();
        housekeeper = new Housekeeper(this::housekeep, Math.max(10_000_000L, Math.min(250_000_000L, window / 4)), threads);
        housekeeper.start();
    }

    /** Writes every count, then closes the log (a final checkpoint). */
    @Override
    public void close() {
        if (log == null || closed) {
            return;
        }
        closed = true; // refusals from now on are refused without a receipt, never counted and lost
        if (housekeeper != null) {
            housekeeper.stop();
        }
        if (bursts != null) {
            List<RefusalBurst.Counted> last = bursts.takeAll(clock.instant());
            long lost = 0;
            for (RefusalBurst.Counted counted : last) {
                try {
                    write(counted.draft(ids.get()));
                    counted.written();
                } catch (ReceiptWriteException | RuntimeException e) {
                    lost += counted.count();
                }
            }
            if (lost > 0) {
                WardenLog.warn(lost + " refusals counted in bursts could not be recorded at close");
            }
        }
        log.close();
    }

    private void writeCounted(List<RefusalBurst.Counted> counted) {
        for (RefusalBurst.Counted each : counted) {
            try {
                write(each.draft(ids.get()));
                each.written();
                failing = false;
            } catch (ReceiptWriteException | RuntimeException e) {
                bursts.unwritten(each); // counted again, written with the next one
                if (!failing) {
                    failing = true;
                    WardenLog.warn("a counted receipt of " + each.count() + " refusals could not be written yet (" + e.getMessage()
                            + "); its refusals stay counted");
                }
            }
        }
    }

    /**
     * Asks the log whether its files are still where it writes them (a {@code stat} each), as the watermark is asked:
     * by the housekeeping thread and every {@link DiskWatermark#SAMPLE_EVERY} receipts, never per action. Not latched:
     * a directory moved back is the same files, and the receipts written meanwhile are in them.
     */
    private void sampleFiles() {
        if (log == null) {
            return;
        }
        String why;
        try {
            String found = log.misplaced();
            why = found == null ? null : RECEIPTS_GONE + ": " + found + ": receipts written now would be lost; restart the JVM on"
                    + " a receipts directory it can keep";
        } catch (RuntimeException e) {
            why = RECEIPTS_GONE + ": the receipt log's files cannot be looked at (" + e + ")";
        }
        String before = misplaced;
        misplaced = why;
        if (why != null && before == null) {
            WardenLog.warn(why + "; every action is refused until its files are back");
        } else if (why == null && before != null) {
            WardenLog.warn("the receipt log's files are where it writes them again: actions are decided as before");
        }
    }

    private void write(ReceiptDraft draft) throws ReceiptWriteException {
        String gone = misplaced;
        if (gone != null) {
            throw new ReceiptWriteException(gone);
        }
        if (!watermark.writable()) {
            throw new ReceiptWriteException(watermark.refusal());
        }
        if (capture != null) {
            capture.accept(draft);
            return;
        }
        Receipt receipt = log.append(draft);
        java.util.function.Consumer<Receipt> observing = observers;
        if (observing != null) {
            try {
                observing.accept(receipt);
            } catch (RuntimeException ignored) {
                // an observer's failure is its own: the receipt is written and the decision stands
            }
        }
        if (written.incrementAndGet() % DiskWatermark.SAMPLE_EVERY == 0) {
            watermark.sample();
            sampleFiles();
        }
    }
}
