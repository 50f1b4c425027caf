package dev.warden.agent.observe;

import dev.warden.bootstrap.Decision;
import dev.warden.receipts.ReceiptDraft;

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
}
