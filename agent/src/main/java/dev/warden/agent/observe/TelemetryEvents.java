package dev.warden.agent.observe;

import dev.warden.agent.context.BudgetSpend;
import dev.warden.agent.telemetry.TelemetryEvent;
import dev.warden.bootstrap.Decision;
import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;
import dev.warden.receipts.ReceiptDraft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Decisions, usage reports, checkpoints and gauges handed to telemetry as {@link TelemetryEvent} maps: the telemetry may live
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

    @Override
    public void reported(ReceiptDraft receipt, Map<String, Object> usage, List<BudgetSpend> spent) {
        Map<String, Object> event = new HashMap<>(16);
        copyTokens(usage, TelemetryEvent.INPUT_TOKENS, event);
        copyTokens(usage, TelemetryEvent.OUTPUT_TOKENS, event);
        if (receipt != null) {
            event.put(TelemetryEvent.ACTION_ID, receipt.target());
            event.put(TelemetryEvent.RECEIPT_ID, receipt.id());
        }
        List<Map<String, Object>> budgets = new ArrayList<>(spent.size());
        spent.forEach(spend -> budgets.add(Map.of(TelemetryEvent.BUDGET, spend.budget(), TelemetryEvent.AMOUNT, spend.amount(),
                TelemetryEvent.UNIT, spend.unit())));
        event.put(TelemetryEvent.SPENT, budgets);
        send(TelemetryEvent.USAGE, event);
    }

    /** Values the metric export reads when it exports (checkpoint lag, pending approvals). */
    public void gauges(Map<String, LongSupplier> gauges) {
        send(TelemetryEvent.GAUGES, new HashMap<>(gauges));
    }

    private static void copyTokens(Map<String, Object> usage, String name, Map<String, Object> event) {
        if (usage.get(name) instanceof Number tokens) {
            event.put(name, tokens.longValue());
        }
    }

    private void send(String kind, Map<String, Object> event) {
        try {
            sink.accept(kind, event);
        } catch (RuntimeException | LinkageError telemetryFailure) {
            // telemetry never changes a decision or a checkpoint
        }
    }
}
