package dev.warden.agent.telemetry;

import dev.warden.bootstrap.Decision;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Decisions and checkpoints through one OpenTelemetry instance: a decision's attributes go on the
 * current span when there is one (with an event per decision, so several decisions under one span all
 * show), else on a short span of its own; counters and a latency histogram; a refusal and a signed
 * checkpoint are also log records.
 */
public final class DecisionTelemetry implements BiConsumer<String, Map<String, Object>> {

    static final String SCOPE = "dev.warden";
    static final String DECISION_EVENT = "warden.decision";
    static final String CHECKPOINT_EVENT = "warden.checkpoint";
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    static final AttributeKey<String> ACTION_ID = AttributeKey.stringKey("warden.action.id");
    static final AttributeKey<String> BUDGET = AttributeKey.stringKey("warden.budget");
    static final AttributeKey<String> BUDGET_UNIT = AttributeKey.stringKey("warden.budget.unit");
    private static final List<Double> LATENCY_BUCKETS = List.of(0.000_002, 0.000_005, 0.000_010, 0.000_025, 0.000_050,
            0.000_100, 0.000_250, 0.001, 0.005, 0.025, 0.1, 1.0);

    private final Tracer tracer;
    private final Logger logger;
    private final LongCounter decisions;
    private final LongCounter receipts;
    private final LongCounter failures;
    private final DoubleHistogram latency;
    private final Meter meter;
    private final LongHistogram tokens;
    private final DoubleCounter spend;

    public DecisionTelemetry(OpenTelemetry openTelemetry) {
        tracer = openTelemetry.getTracer(SCOPE);
        logger = openTelemetry.getLogsBridge().get(SCOPE);
        meter = openTelemetry.getMeter(SCOPE);
        decisions = meter.counterBuilder("warden.decisions").setUnit("{decision}")
                .setDescription("decisions, by surface, outcome and deciding rules").build();
        receipts = meter.counterBuilder("warden.receipts.appended").setUnit("{receipt}")
                .setDescription("receipts written in full for decisions (a refusal counted in a burst adds none)").build();
        failures = meter.counterBuilder("warden.refused_by_failure").setUnit("{decision}")
                .setDescription("actions refused because of Warden's own failure (warden.fail-closed)").build();
        latency = meter.histogramBuilder("warden.decision.duration").setUnit("s")
                .setDescription("time to decide an action, its receipt included")
                .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS).build();
        tokens = meter.histogramBuilder(TOKEN_USAGE).ofLongs().setUnit("{token}")
                .setDescription("tokens a model call reported using, by gen_ai.token.type (GenAI semantic conventions)").build();
        spend = meter.counterBuilder("warden.budget.spend").ofDoubles()
                .setDescription("what model calls spent of each budget once their usage was reported, by warden.budget and "
                        + "warden.budget.unit (token, or currency: the pricing's)").build();
    }

    /** One {@link TelemetryEvent}; telemetry never changes a decision, so it never throws. */
    @Override
    public void accept(String event, Map<String, Object> values) {
        try {
            if (TelemetryEvent.DECISION.equals(event)) {
                decided(values, (Decision) values.get(TelemetryEvent.DECISION_OBJECT), (Long) values.get(TelemetryEvent.NANOS));
            } else if (TelemetryEvent.CHECKPOINT.equals(event)) {
                signed(values);
            } else if (TelemetryEvent.USAGE.equals(event)) {
                reported(values);
            } else if (TelemetryEvent.GAUGES.equals(event)) {
                gauges(values);
            }
        } catch (RuntimeException telemetryFailure) {
            // the receipt already holds the decision, the log the checkpoint
        }
    }

    private void decided(Map<String, Object> receipt, Decision decision, long nanos) {
        Attributes attributes = DecisionAttributes.of(receipt, decision);
        span(attributes, decision, nanos);
        Attributes breakdown = DecisionAttributes.forMetrics(receipt, decision);
        decisions.add(1, breakdown);
        latency.record(nanos / 1e9, breakdown);
        if (Boolean.TRUE.equals(receipt.get(TelemetryEvent.RECEIPT_WRITTEN))) {
            receipts.add(1, Attributes.of(DecisionAttributes.SURFACE, DecisionAttributes.text(receipt, TelemetryEvent.SURFACE)));
        }
        if (decision.rules().contains(Decision.FAIL_CLOSED_RULE)) {
            failures.add(1, breakdown);
        }
        if (decision.blocks()) {
            logger.logRecordBuilder().setEventName(DECISION_EVENT).setSeverity(Severity.WARN).setSeverityText("WARN")
                    .setBody(DecisionAttributes.capped(decision.denialMessage())).setAllAttributes(attributes).emit();
        }
    }

    private void span(Attributes attributes, Decision decision, long nanos) {
        Span current = Span.current();
        if (current.getSpanContext().isValid() && current.isRecording()) {
            current.setAllAttributes(attributes);
            current.addEvent(DECISION_EVENT, attributes);
            return;
        }
        Instant end = Instant.now();
        Span own = tracer.spanBuilder("warden " + attributes.get(DecisionAttributes.SURFACE)).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(end.minusNanos(nanos)).setAllAttributes(attributes).startSpan();
        if (decision.blocks()) {
            own.setStatus(StatusCode.ERROR, decision.outcome().name());
        }
        own.end(end);
    }

    /**
     * A model call's reported usage: {@code gen_ai.usage.*} on the current span (the model call's, when the
     * application's telemetry has one open), else on a short span of its own; the token histogram; budget spend.
     */
    private void reported(Map<String, Object> usage) {
        Long input = (Long) usage.get(TelemetryEvent.INPUT_TOKENS);
        Long output = (Long) usage.get(TelemetryEvent.OUTPUT_TOKENS);
        AttributesBuilder attributes = Attributes.builder().put(DecisionAttributes.GEN_AI_OPERATION, "chat");
        if (input != null) {
            attributes.put(INPUT_TOKENS, input);
            tokens.record(input, Attributes.of(DecisionAttributes.GEN_AI_OPERATION, "chat", TOKEN_TYPE, "input"));
        }
        if (output != null) {
            attributes.put(OUTPUT_TOKENS, output);
            tokens.record(output, Attributes.of(DecisionAttributes.GEN_AI_OPERATION, "chat", TOKEN_TYPE, "output"));
        }
        Span current = Span.current();
        if (current.getSpanContext().isValid() && current.isRecording()) {
            current.setAllAttributes(attributes.build());
        } else {
            attributes.put(DecisionAttributes.RECEIPT, String.valueOf(usage.get(TelemetryEvent.RECEIPT_ID)))
                    .put(ACTION_ID, String.valueOf(usage.get(TelemetryEvent.ACTION_ID)));
            tracer.spanBuilder("warden usage").setSpanKind(SpanKind.INTERNAL).setAllAttributes(attributes.build()).startSpan().end();
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spent = (List<Map<String, Object>>) usage.getOrDefault(TelemetryEvent.SPENT, List.of());
        for (Map<String, Object> budget : spent) {
            spend.add((Double) budget.get(TelemetryEvent.AMOUNT), Attributes.of(BUDGET,
                    DecisionAttributes.text(budget, TelemetryEvent.BUDGET), BUDGET_UNIT, DecisionAttributes.text(budget, TelemetryEvent.UNIT)));
        }
    }

    /** Gauges read at each export; a negative value is not known now and is left out. */
    private void gauges(Map<String, Object> suppliers) {
        gauge(suppliers, TelemetryEvent.CHECKPOINT_LAG, "warden.checkpoint.lag", "{receipt}",
                "receipts written that no signed checkpoint covers yet");
        gauge(suppliers, TelemetryEvent.CHECKPOINT_AGE, "warden.checkpoint.age", "ms", "time since the last signed checkpoint");
        gauge(suppliers, TelemetryEvent.APPROVALS_PENDING, "warden.approvals.pending", "{request}",
                "approval requests open and unexpired (in-process approvals only)");
    }

    private void gauge(Map<String, Object> suppliers, String key, String name, String unit, String description) {
        if (suppliers.get(key) instanceof LongSupplier supplier) {
            meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description).buildWithCallback(measurement -> {
                long value = supplier.getAsLong();
                if (value >= 0) {
                    measurement.record(value);
                }
            });
        }
    }

    /** A signed checkpoint as a log record: the newest size and root have a copy outside the receipts directory. */
    private void signed(Map<String, Object> checkpoint) {
        logger.logRecordBuilder().setEventName(CHECKPOINT_EVENT).setSeverity(Severity.INFO).setSeverityText("INFO")
                .setBody(DecisionAttributes.text(checkpoint, TelemetryEvent.NOTE))
                .setAttribute(AttributeKey.stringKey("warden.checkpoint.origin"), DecisionAttributes.text(checkpoint, TelemetryEvent.ORIGIN))
                .setAttribute(AttributeKey.longKey("warden.checkpoint.size"), (Long) checkpoint.get(TelemetryEvent.SIZE))
                .setAttribute(AttributeKey.stringKey("warden.checkpoint.root"), DecisionAttributes.text(checkpoint, TelemetryEvent.ROOT))
                .emit();
    }
}
