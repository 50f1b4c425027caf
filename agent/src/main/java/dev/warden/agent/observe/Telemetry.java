package dev.warden.agent.observe;

import dev.warden.receipts.CheckpointListener;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Where decisions and checkpoints go: nowhere ({@link #OFF}), Warden's own OTLP export, or the
 * OpenTelemetry Java agent's SDK when Warden is its extension.
 *
 * @param decisions   told of every decision and usage report
 * @param checkpoints told of every signed checkpoint; null when off
 * @param gauges      given, once, the values the metric export reads (see {@code TelemetryEvent.GAUGES})
 */
public record Telemetry(DecisionObserver decisions, CheckpointListener checkpoints, Consumer<Map<String, LongSupplier>> gauges) {

    public static final Telemetry OFF = new Telemetry(DecisionObserver.NONE, null, gauges -> {
    });

    public boolean on() {
        return decisions != DecisionObserver.NONE;
    }
}
