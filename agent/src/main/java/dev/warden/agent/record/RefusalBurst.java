package dev.warden.agent.record;

import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.Repeats;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identical refusals close together in time: the first few are written in full, the rest are counted
 * and written as one counted receipt per window. Every method is short and synchronised on the burst.
 */
final class RefusalBurst {

    /** The step the recorder takes for one refusal. */
    record Step(RefusalBurst burst, String cite, Counted closing) {
        /** Whether the refusal is to be written in full (else it was counted and cites {@link #cite}). */
        boolean writeInFull() {
            return cite == null;
        }
    }

    private final BurstKey key;
    private int fullClaimed;
    private String firstId;      // the burst's first written receipt: what counted refusals cite
    private Instant lastSeen;
    private long count;          // refusals counted and not yet handed out for writing
    private Instant countFrom;
    private Instant countTo;
    private ReceiptDraft latest; // the latest counted refusal: what the counted receipt describes
    private int inFlight;        // counted receipts handed out and not yet confirmed or restored
    private boolean retired;     // removed from the table: a caller that still holds it looks again

    RefusalBurst(BurstKey key) {
        this.key = key;
    }

    BurstKey key() {
        return key;
    }

    /** @return null when this burst was retired meanwhile (look it up again) */
    synchronized Step refuse(ReceiptDraft draft, BurstRules rules) {
        if (retired) {
            return null;
        }
        Instant now = draft.time();
        Counted closing = null;
        if (lastSeen != null && quietSince(lastSeen, now, rules.window())) {
            closing = take(now); // the previous burst went quiet before the sweeper saw it
            fullClaimed = 0;
            firstId = null;
        }
        if (lastSeen == null || now.isAfter(lastSeen)) {
            lastSeen = now;
        }
        if (fullClaimed < rules.fullReceipts() || firstId == null) {
            fullClaimed++;
            return new Step(this, null, closing);
        }
        if (count++ == 0) {
            countFrom = now;
        }
        countTo = now;
        latest = draft;
        if (count >= rules.maxCount() || quietSince(countFrom, now, rules.window())) {
            closing = take(now);
        }
        return new Step(this, firstId, closing);
    }

    /** The refusal's full receipt was written: counted refusals may cite it. */
    synchronized void written(String receiptId) {
        if (firstId == null) {
            firstId = receiptId;
        }
    }

    synchronized boolean counting() {
        return count > 0;
    }

    /** The counted receipt when the burst went quiet or its oldest count reached the window's age. */
    synchronized Counted takeIfDue(Instant now, Duration window) {
        if (count == 0 || !quietSince(lastSeen, now, window) && !quietSince(countFrom, now, window)) {
            return null;
        }
        return take(now);
    }

    /** The counted receipt of whatever is counted now (before another receipt of the owner, at close). */
    synchronized Counted takeNow(Instant now) {
        return take(now);
    }

    /** Retires the burst when it has been quiet for a window with nothing counted or in flight. */
    synchronized boolean retireIfQuiet(Instant now, Duration window) {
        if (count == 0 && inFlight == 0 && quietSince(lastSeen, now, window)) {
            retired = true;
        }
        return retired;
    }

    private boolean quietSince(Instant since, Instant now, Duration window) {
        return !now.isBefore(since.plus(window));
    }

    private Counted take(Instant now) {
        if (count == 0) {
            return null;
        }
        Counted counted = new Counted(this, latest, firstId, count, countFrom, countTo, now);
        count = 0;
        latest = null;
        inFlight++;
        return counted;
    }

    synchronized void confirm() {
        inFlight--;
    }

    /** A counted receipt could not be written: its refusals are counted again, for the next one. */
    synchronized void restore(Counted counted) {
        inFlight--;
        if (count == 0) {
            countFrom = counted.from();
            countTo = counted.to();
            latest = counted.latest();
        } else {
            countFrom = counted.from().isBefore(countFrom) ? counted.from() : countFrom;
            countTo = counted.to().isAfter(countTo) ? counted.to() : countTo;
        }
        count += counted.count();
    }

    /**
     * Refusals counted and taken for one counted receipt.
     *
     * @param latest the latest of them, which the receipt describes
     * @param burst  the id of the burst's first receipt, which they cited
     * @param at     when the counted receipt is written
     */
    record Counted(RefusalBurst owner, ReceiptDraft latest, String burst, long count, Instant from, Instant to, Instant at) {

        /** The counted receipt, {@code id}: the latest refusal, at {@code at}, with what it stands for in the summary. */
        ReceiptDraft draft(String id) {
            Map<String, String> summary = new TreeMap<>(latest.summary());
            summary.put(Repeats.REPEATED, Long.toString(count));
            summary.put(Repeats.FROM, from.toString());
            summary.put(Repeats.TO, to.toString());
            summary.put(Repeats.BURST, burst);
            return new ReceiptDraft(id, at, latest.actor(), latest.onBehalfOf(), latest.session(), latest.surface(),
                    latest.operation(), latest.target(), latest.actionDigest(), summary, latest.outcome(), latest.enforced(),
                    latest.rules(), latest.reason(), latest.obligations(), latest.policyVersion());
        }

        void written() {
            owner.confirm();
        }

        void unwritten() {
            owner.restore(this);
        }
    }
}
