package dev.warden.bootstrap;

import java.util.List;

/**
 * The gate's answer for one action, as instrumented code sees it (JDK types only).
 *
 * @param outcome     what the rules said
 * @param enforced    false in shadow mode: the outcome was recorded but is not applied
 * @param rules       the rules that produced the outcome
 * @param reason      human-readable, names the failure when Warden itself failed
 * @param receiptId   the id of the receipt recorded for this decision, or null when none could be written
 * @param obligations conditions attached to a permit
 */
public record Decision(Outcome outcome, boolean enforced, List<String> rules, String reason, String receiptId,
                       Obligations obligations) {

    /** The rule id Warden uses when it refuses an action because it failed itself. */
    public static final String FAIL_CLOSED_RULE = "warden.fail-closed";

    /**
     * The attribute of an action Warden could not read (the call's objects threw at the advice): the
     * engine refuses it as its own failure, without asking the rules, and records the refusal.
     */
    public static final String UNREADABLE_ATTRIBUTE = "warden.unreadable";

    public Decision {
        rules = List.copyOf(rules);
    }

    /** A denial caused by Warden's own failure: always enforced, whatever the mode. */
    public static Decision failClosed(String reason, String receiptId) {
        return new Decision(Outcome.DENY, true, List.of(FAIL_CLOSED_RULE), reason, receiptId, Obligations.NONE);
    }

    /** Whether the host's action must not run. */
    public boolean blocks() {
        return enforced && outcome != Outcome.PERMIT;
    }

    /** Obligations that apply to the host: none when the decision is not enforced. */
    public Obligations enforcedObligations() {
        return enforced && outcome == Outcome.PERMIT ? obligations : Obligations.NONE;
    }

    /** The message a refused host sees: {@code warden: denied by <rule>: <reason> (receipt <id>)}. */
    public String denialMessage() {
        String by = rules.isEmpty() ? (outcome == Outcome.SILENCE ? "default-deny" : "warden") : String.join(", ", rules);
        String verb = outcome == Outcome.HOLD ? "held for approval by " : "denied by ";
        String receipt = receiptId == null ? "no receipt written" : "receipt " + receiptId;
        return "warden: " + verb + by + ": " + reason + " (" + receipt + ")";
    }
}
