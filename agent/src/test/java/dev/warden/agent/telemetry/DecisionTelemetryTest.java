package dev.warden.agent.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage reports and gauges as OpenTelemetry signals: gen_ai.usage.* on a span, the token histogram, budget spend, checkpoint lag. */
class DecisionTelemetryTest {

    private final List<SpanData> spans = new CopyOnWriteArrayList<>();
    private final List<MetricData> metrics = new CopyOnWriteArrayList<>();
    private final SdkMeterProvider meters = SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.builder(new Collecting(metrics)).build()).build();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meters)
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new SpanCollector(spans))).build())
            .build();
    private final DecisionTelemetry telemetry = new DecisionTelemetry(sdk);

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void aUsageReportIsTokensOnASpanAndInTheHistogramAndSpendByBudget() {
        telemetry.accept(TelemetryEvent.USAGE, usage(120L, 30L));
        Span model = sdk.getTracer("app").spanBuilder("chat gpt-4o").startSpan();
        try (Scope ignored = model.makeCurrent()) {
            telemetry.accept(TelemetryEvent.USAGE, usage(7L, null));
        } finally {
            model.end();
        }
        meters.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);

        SpanData own = spans.stream().filter(span -> span.getName().equals("warden usage")).findFirst().orElseThrow();
        assertThat(own.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(120L);
        assertThat(own.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(30L);
        assertThat(own.getAttributes().get(AttributeKey.stringKey("warden.action.id"))).isEqualTo("call-1");
        assertThat(own.getAttributes().get(AttributeKey.stringKey("warden.receipt.id"))).isEqualTo("report-1");
        SpanData app = spans.stream().filter(span -> span.getName().equals("chat gpt-4o")).findFirst().orElseThrow();
        assertThat(app.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).as("on the open model span").isEqualTo(7L);
        assertThat(app.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isNull();

        MetricData tokens = metric("gen_ai.client.token.usage");
        assertThat(tokens.getHistogramData().getPoints()).extracting(point -> point.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type"))
                + "=" + (long) point.getSum()).containsExactlyInAnyOrder("input=127", "output=30");
        MetricData spend = metric("warden.budget.spend");
        assertThat(spend.getDoubleSumData().getPoints()).extracting(point -> point.getAttributes().get(AttributeKey.stringKey("warden.budget"))
                + " " + point.getAttributes().get(AttributeKey.stringKey("warden.budget.unit")) + " " + point.getValue())
                .containsExactlyInAnyOrder("daily currency 0.5", "tokens token 300.0");
    }

    @Test
    void gaugesAreReadAtExportAndAnUnknownValueIsLeftOut() {
        long[] lag = {3};
        Map<String, Object> gauges = new HashMap<>();
        gauges.put(TelemetryEvent.CHECKPOINT_LAG, (LongSupplier) () -> lag[0]);
        gauges.put(TelemetryEvent.CHECKPOINT_AGE, (LongSupplier) () -> -1);
        gauges.put(TelemetryEvent.APPROVALS_PENDING, (LongSupplier) () -> 2);
        telemetry.accept(TelemetryEvent.GAUGES, gauges);
        lag[0] = 5;
        meters.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(metric("warden.checkpoint.lag").getLongGaugeData().getPoints()).extracting(point -> point.getValue()).containsExactly(5L);
        assertThat(metric("warden.approvals.pending").getLongGaugeData().getPoints()).extracting(point -> point.getValue()).containsExactly(2L);
        assertThat(metrics).noneMatch(metric -> metric.getName().equals("warden.checkpoint.age"));
    }

    @Test
    void aRefusalOfAHugeStatementCarriesItsReasonAndTargetCutToAKilobyteCharacterWithTheirLengths() {
        String tables = "orders" + ", t\u00e9".repeat(30_000) + " \ud83d\ude00".repeat(600);
        String reason = "no rule permits reading " + tables;
        Map<String, Object> receipt = new HashMap<>();
        receipt.put(TelemetryEvent.SURFACE, "jdbc");
        receipt.put(TelemetryEvent.OPERATION, "SELECT");
        receipt.put(TelemetryEvent.TARGET, tables);
        receipt.put(TelemetryEvent.ACTOR, "a".repeat(5000));
        receipt.put(TelemetryEvent.DECISION_OBJECT, new dev.warden.bootstrap.Decision(dev.warden.bootstrap.Outcome.SILENCE, true,
                List.of(), reason, "r-1", dev.warden.bootstrap.Obligations.NONE));
        receipt.put(TelemetryEvent.NANOS, 1000L);
        telemetry.accept(TelemetryEvent.DECISION, receipt);

        SpanData own = spans.stream().filter(span -> span.getName().equals("warden jdbc")).findFirst().orElseThrow();
        String cutReason = own.getAttributes().get(DecisionAttributes.REASON);
        assertThat(cutReason).hasSize(DecisionAttributes.MAX_TEXT).startsWith(reason.substring(0, 500))
                .endsWith("...[cut: " + reason.length() + " chars]");
        assertThat(own.getAttributes().get(DecisionAttributes.TARGET)).hasSizeLessThanOrEqualTo(DecisionAttributes.MAX_TEXT)
                .endsWith("...[cut: " + tables.length() + " chars]");
        assertThat(own.getAttributes().get(DecisionAttributes.ACTOR)).hasSize(DecisionAttributes.MAX_TEXT);
        assertThat(own.getAttributes().get(DecisionAttributes.RECEIPT)).isEqualTo("r-1");
        // Never half a surrogate pair, and a short value whole.
        String emoji = "x".repeat(DecisionAttributes.MAX_TEXT - 20) + "\ud83d\ude00".repeat(100);
        String cut = DecisionAttributes.capped(emoji);
        assertThat(cut).hasSizeLessThanOrEqualTo(DecisionAttributes.MAX_TEXT).endsWith("...[cut: " + emoji.length() + " chars]");
        assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf("...[cut") - 1))).isFalse();
        assertThat(DecisionAttributes.capped("orders")).isEqualTo("orders");
    }

    private static Map<String, Object> usage(Long input, Long output) {
        Map<String, Object> usage = new HashMap<>();
        usage.put(TelemetryEvent.INPUT_TOKENS, input);
        if (output != null) {
            usage.put(TelemetryEvent.OUTPUT_TOKENS, output);
        }
        usage.put(TelemetryEvent.ACTION_ID, "call-1");
        usage.put(TelemetryEvent.RECEIPT_ID, "report-1");
        usage.put(TelemetryEvent.SPENT, output == null ? List.of() : List.of(
                Map.of(TelemetryEvent.BUDGET, "daily", TelemetryEvent.AMOUNT, 0.5, TelemetryEvent.UNIT, "currency"),
                Map.of(TelemetryEvent.BUDGET, "tokens", TelemetryEvent.AMOUNT, 300.0, TelemetryEvent.UNIT, "token")));
        return usage;
    }

    private MetricData metric(String name) {
        return metrics.stream().filter(metric -> metric.getName().equals(name)).reduce((first, last) -> last).orElseThrow();
    }

    private record Collecting(List<MetricData> into) implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> batch) {
            into.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
        }
    }

    private record SpanCollector(List<SpanData> into) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            into.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
