package dev.warden.agent.record;

import dev.warden.agent.approval.ApprovalStage;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.Repeats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The refusal bursts being recorded: a bounded table keyed by action digest, owner, outcome, rules and
 * policy. An attacker who varies one byte per call gets a new key each time: the table stops growing at
 * {@link #MAX_BURSTS} (further new refusals are written in full, as without bursts) and the disk is then
 * bounded by the free-space watermark; quiet bursts leave the table within a window.
 */
public final class RefusalBursts {

    public static final int MAX_BURSTS = 4096;

    private final BurstRules rules;
    private final ConcurrentHashMap<BurstKey, RefusalBurst> bursts = new ConcurrentHashMap<>();
    /** Owners whose bursts hold counts not yet written, so that their other receipts come after them. */
    private final ConcurrentHashMap<BurstKey.Owner, Set<RefusalBurst>> counting = new ConcurrentHashMap<>();

    public RefusalBursts(BurstRules rules) {
        this.rules = rules;
    }

    public BurstRules rules() {
        return rules;
    }

    /**
     * Whether the receipt of {@code draft} may be counted in a burst: a refusal of an identified action that neither opens
     * an approval request nor cites a decision on one. A counted refusal has no receipt of its own (its counted receipt is
     * a copy with another id and no citations), and an approval request is known by its hold's receipt id: a hold opening a
     * request inside a burst published a request no receipt opened, whose approved action the verifier then rejected
     * (a thirteenth review, 2026-12-08).
     */
    public static boolean compactable(ReceiptDraft draft) {
        return Repeats.refusal(draft) && draft.actionDigest() != null && draft.approvals().isEmpty()
                && !draft.id().equals(draft.summary().get(ApprovalStage.REQUEST));
    }

    /** The step for one compactable refusal: write it in full, or count it (and maybe write a counted receipt). */
    RefusalBurst.Step refuse(ReceiptDraft draft) {
        BurstKey key = BurstKey.of(draft);
        while (true) {
            RefusalBurst burst = bursts.get(key);
            if (burst == null) {
                if (bursts.size() >= MAX_BURSTS) {
                    return new RefusalBurst.Step(null, null, null);
                }
                RefusalBurst fresh = new RefusalBurst(key);
                burst = bursts.putIfAbsent(key, fresh);
                burst = burst == null ? fresh : burst;
            }
            RefusalBurst.Step step = burst.refuse(draft, rules);
            if (step != null) {
                if (!step.writeInFull() && step.closing() == null) {
                    counting(burst);
                }
                return step;
            }
            bursts.remove(key, burst); // retired meanwhile
        }
    }

    /** Whether any owner has counts not yet written: the only question every other receipt asks. */
    boolean anyCounting() {
        return !counting.isEmpty();
    }

    /** The counted receipts of {@code owner}'s bursts, taken now, to be written before its next receipt. */
    List<RefusalBurst.Counted> takeCounted(BurstKey.Owner owner, Instant now) {
        Set<RefusalBurst> theirs = counting.get(owner);
        List<RefusalBurst.Counted> taken = new ArrayList<>(0);
        if (theirs != null) {
            for (RefusalBurst burst : theirs) {
                take(burst.takeNow(now), taken);
                settled(burst);
            }
        }
        return taken;
    }

    /** The counted receipts that are due (quiet or old enough), and forgets quiet bursts. Off the hot path. */
    List<RefusalBurst.Counted> takeDue(Instant now) {
        List<RefusalBurst.Counted> taken = new ArrayList<>(0);
        for (RefusalBurst burst : bursts.values()) {
            take(burst.takeIfDue(now, rules.window()), taken);
            settled(burst);
            if (burst.retireIfQuiet(now, rules.window())) {
                bursts.remove(burst.key(), burst);
            }
        }
        return taken;
    }

    /** Every count, at close. */
    List<RefusalBurst.Counted> takeAll(Instant now) {
        List<RefusalBurst.Counted> taken = new ArrayList<>(0);
        for (RefusalBurst burst : bursts.values()) {
            take(burst.takeNow(now), taken);
            settled(burst);
        }
        return taken;
    }

    /** A counted receipt could not be written: its burst counts again and is again its owner's. */
    void unwritten(RefusalBurst.Counted counted) {
        counted.unwritten();
        counting(counted.owner());
    }

    int size() {
        return bursts.size();
    }

    private static void take(RefusalBurst.Counted counted, List<RefusalBurst.Counted> into) {
        if (counted != null) {
            into.add(counted);
        }
    }

    private void counting(RefusalBurst burst) {
        counting.computeIfAbsent(burst.key().owner(), owner -> ConcurrentHashMap.newKeySet()).add(burst);
    }

    private void settled(RefusalBurst burst) {
        if (!burst.counting()) {
            counting.computeIfPresent(burst.key().owner(), (owner, theirs) -> {
                theirs.remove(burst);
                return theirs.isEmpty() ? null : theirs;
            });
        }
    }
}
