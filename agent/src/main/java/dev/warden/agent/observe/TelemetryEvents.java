package dev.warden.agent.observe;

import dev.warden.agent.telemetry.TelemetryEvent;
import dev.warden.bootstrap.Decision;
import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;
import dev.warden.receipts.ReceiptDraft;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Decisions and checkpoints handed to telemetry as {@link TelemetryEvent} maps: the telemetry may live
 * in another class loader (the OpenTelemetry agent's extension loader), so only JDK and bootstrap types
 * cross. Built only when telemetry is on.
 */
public record TelemetryEvents(BiConsumer<String, Map<String, Object>> sink) implements DecisionObserver, CheckpointListener {

    @Override
    public void decided(ReceiptDraft receipt, Decision decision, long nanos) {
        Map<String, Object> event = new HashMap<>(16);
        event.put(TelemetryEvent.DECISION_OBJECT, decision);
        event.put(TelemetryEvent.NANOS, nanos);
        if (receipt != null) {
            event.put(TelemetryEvent.RECEIPT_WRITTEN, receipt.id().equals(decision.receiptId()));
            event.put(TelemetryEvent.SURFACE, receipt.surface());
            event.put(TelemetryEvent.OPERATION, receipt.operation());
            event.put(TelemetryEvent.TARGET, receipt.target());
            event.put(TelemetryEvent.ACTOR, receipt.actor());
            event.put(TelemetryEvent.SESSION, receipt.session());
            event.put(TelemetryEvent.POLICY, receipt.policyVersion());
        }
        send(TelemetryEvent.DECISION, event);
    }

    @Override
    public void signed(NewCheckpoint checkpoint) {
        Map<String, Object> event = new HashMap<>(8);
        event.put(TelemetryEvent.ORIGIN, checkpoint.checkpoint().origin());
        event.put(TelemetryEvent.SIZE, checkpoint.checkpoint().size());
        event.put(TelemetryEvent.ROOT, checkpoint.checkpoint().rootHash());
        event.put(TelemetryEvent.NOTE, checkpoint.note().format());
        send(TelemetryEvent.CHECKPOINT, event);
    }

    private void send(String kind, Map<String, Object> event) {
        try {
            sink.accept(kind, event);
        } catch (RuntimeException | LinkageError telemetryFailure) {
            // telemetry never changes a decision or a checkpoint
        }
    }
}
