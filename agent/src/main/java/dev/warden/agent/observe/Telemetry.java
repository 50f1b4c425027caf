package dev.warden.agent.observe;

import dev.warden.receipts.CheckpointListener;

/**
 * Where decisions and checkpoints go: nowhere ({@link #OFF}), Warden's own OTLP export, or the
 * OpenTelemetry Java agent's SDK when Warden is its extension.
 *
 * @param decisions   told of every decision
 * @param checkpoints told of every signed checkpoint; null when off
 */
public record Telemetry(DecisionObserver decisions, CheckpointListener checkpoints) {

    public static final Telemetry OFF = new Telemetry(DecisionObserver.NONE, null);

    public boolean on() {
        return decisions != DecisionObserver.NONE;
    }
}
