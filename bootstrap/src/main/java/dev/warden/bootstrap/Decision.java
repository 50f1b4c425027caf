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
 * @param obligations conditions attached to a permit; a hold's are those its approval runs it under, applied to
 *                    nothing while it is held ({@link #enforcedObligations})
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

    /**
     * A fail-closed denial because {@code what} could not be read, naming the failure without running
     * the application's code: an exception class of the application's may compute its message (or
     * throw from it), so only the JDK's own exception classes are asked for theirs; any other is
     * named by its class. Never throws.
     *
     * @param what    e.g. {@code could not read the tool call}
     * @param failure what the call's objects threw (an {@code InvocationTargetException} is named by its target)
     */
    public static Decision unreadable(String what, Throwable failure) {
        return failClosed(what + ": " + describe(failure), null);
    }

    private static String describe(Throwable failure) {
        try {
            Throwable named = failure instanceof java.lang.reflect.InvocationTargetException
                    && ((java.lang.reflect.InvocationTargetException) failure).getTargetException() != null
                    ? ((java.lang.reflect.InvocationTargetException) failure).getTargetException() : failure;
            if (named == null) {
                return "null";
            }
            String type = named.getClass().getName();
            ClassLoader loader = named.getClass().getClassLoader();
            if (loader != null && loader != ClassLoader.getPlatformClassLoader()) {
                return type;
            }
            String message = named.getMessage();
            return message == null ? type : type + ": " + message;
        } catch (Throwable unprintable) {
            return "an exception that cannot be described";
        }
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
