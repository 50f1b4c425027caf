package dev.warden.agent.context;

import java.util.Map;

/**
 * An action the receipt log recorded, replayed into a fresh store at start so that a restart forgets
 * nothing the log holds: what ran still counts against limits, loops and budgets, and the labels it
 * carried are still its session's.
 *
 * @param action      the action as it was decided (targets: its primary target only, as receipts keep it)
 * @param proceeded   whether it ran (permitted, or not enforced)
 * @param observation whether the receipt records a report after an action (usage) rather than a decision;
 *                    its {@code action.target()} is then the reported action's id
 * @param summary     the receipt's summary
 */
public record PastAction(ContextAction action, boolean proceeded, boolean observation, Map<String, String> summary) {

    /** A summary value as a count, 0 when absent or not a number. */
    public long count(String name) {
        String value = summary.get(name);
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
