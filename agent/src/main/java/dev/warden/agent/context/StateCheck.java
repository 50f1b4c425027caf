package dev.warden.agent.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the context stage found for one action: the state rules that refuse it, the state each rule
 * read (for the receipt: "48.73 spent of 50.00 today"), and what to do once it is known whether the
 * action runs (keep a reservation, give it back, remember a label).
 */
public final class StateCheck {

    /** Settles what a check reserved, once the action's fate is known. */
    public interface Settlement {
        void settle(boolean proceeded);
    }

    // Allocated on first use: most actions meet no state rule.
    private List<String> rules = List.of();
    private List<String> reasons = List.of();
    private Map<String, String> facts = Map.of();
    private List<Settlement> settlements = List.of();
    private String ranAs;
    private long maxOutputTokens = -1;

    public void deny(String rule, String reason) {
        if (rules.isEmpty()) {
            rules = new ArrayList<>(1);
            reasons = new ArrayList<>(1);
        }
        rules.add(rule);
        reasons.add(reason);
    }

    /**
     * A state fact the decision used, recorded in the receipt's summary under {@code state.KIND}
     * ({@code state.budgets: daily-spend 48.73 spent + 0.12 estimated of 50.00 today}). The rule's
     * name goes into the value, not the key: receipts blank the values of keys that sound like
     * secrets, and a budget may well be called {@code session-tokens}.
     */
    public void fact(String kind, String name, String value) {
        if (facts.isEmpty()) {
            facts = new TreeMap<>();
        }
        facts.merge("state." + kind, name + " " + value, (was, more) -> was + "; " + more);
    }

    /**
     * The model call may ask for at most {@code tokens} of output: what a budget reserved for it, handed to the request
     * ({@link dev.warden.bootstrap.Obligations#maxOutputTokens}), so that the provider cannot write past the reservation.
     * Several budgets: the least.
     */
    public void capOutput(long tokens) {
        long capped = Math.max(0, tokens);
        maxOutputTokens = maxOutputTokens < 0 ? capped : Math.min(maxOutputTokens, capped);
    }

    /** What the permit must hold the action to (a model call's output cap), {@code NONE} when nothing. */
    public dev.warden.bootstrap.Obligations obligations() {
        return maxOutputTokens < 0 ? dev.warden.bootstrap.Obligations.NONE : dev.warden.bootstrap.Obligations.maxOutput(maxOutputTokens);
    }

    public void onSettle(Settlement settlement) {
        if (settlements.isEmpty()) {
            settlements = new ArrayList<>(2);
        }
        settlements.add(settlement);
    }

    /** The action ran under another receipt than its decision's: a held call approved while it waited runs as its resumption. */
    public void ranAs(String receiptId) {
        this.ranAs = receiptId;
    }

    /** The receipt the action ran under, which its usage report will name: {@code own} unless {@link #ranAs} said otherwise. */
    String runningAs(String own) {
        return ranAs != null ? ranAs : own;
    }

    public List<String> rules() {
        return rules;
    }

    public List<String> reasons() {
        return reasons;
    }

    public Map<String, String> facts() {
        return facts;
    }

    /** Keeps or gives back what was reserved; never throws (a failure here must not undo a decision). */
    public void settle(boolean proceeded) {
        for (int i = 0; i < settlements.size(); i++) { // indexed: no iterator for the many checks with nothing to settle
            try {
                settlements.get(i).settle(proceeded);
            } catch (RuntimeException failure) {
                dev.warden.agent.logging.WardenLog.warn("could not settle state: " + failure);
            }
        }
    }
}
