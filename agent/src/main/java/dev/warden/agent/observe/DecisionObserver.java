package dev.warden.agent.observe;

import dev.warden.agent.context.BudgetSpend;
import dev.warden.bootstrap.Decision;
import dev.warden.receipts.ReceiptDraft;

import java.util.List;
import java.util.Map;

/**
 * The engine's "observe" stage: told of every decision once its receipt is written (or could not be).
 * Called on the deciding thread, on the action's path, so it must only hand off (an SDK's batch queue),
 * never block or do I/O, and never throw.
 */
@FunctionalInterface
public interface DecisionObserver {

    /** Telemetry off: nothing is observed, and no OpenTelemetry class is ever loaded. */
    DecisionObserver NONE = (receipt, decision, nanos) -> {
    };

    /**
     * @param receipt  what the decision recorded, redacted as the receipt is; null when the action could not
     *                 even be drafted (then only the decision is known)
     * @param decision what the gate answers
     * @param nanos    how long deciding took, receipt included
     */
    void decided(ReceiptDraft receipt, Decision decision, long nanos);

    /**
     * A permitted model call reported its token usage after it ran (the decision was told before).
     *
     * @param receipt the usage report's receipt (its target is the reporting call's receipt id); null when it could not be written
     * @param usage   what the call reported: {@code usage.input}, {@code usage.output}, {@code usage.total} (tokens, each may be absent)
     * @param spent   what the call spent of each budget that counted it
     */
    default void reported(ReceiptDraft receipt, Map<String, Object> usage, List<BudgetSpend> spent) {
    }
}
