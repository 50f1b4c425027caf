package dev.warden.agent.telemetry;

import dev.warden.bootstrap.Gate;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Without the OpenTelemetry Java agent: an SDK of Warden's own, in Warden's class loader (never the
 * host's, never {@code GlobalOpenTelemetry}), exporting OTLP/HTTP protobuf to {@code otlp-endpoint}.
 * Built only when that key is set, so without it no OpenTelemetry class is loaded.
 */
public final class OwnExport {

    /** service.name of what Warden exports: its own, apart from the host's telemetry. */
    static final String SERVICE_NAME = "warden";

    private OwnExport() {
    }

    /**
     * @param endpoint   the collector's OTLP/HTTP base URL; signals go to {@code /v1/traces}, {@code /v1/metrics}, {@code /v1/logs}
     * @param interval   how often metrics are exported and batched spans and logs flushed
     * @param threads    Warden's own thread factory (the metric reader's schedule)
     * @param onShutdown registers the final flush (run at exit on one of Warden's threads, once the receipt log is closed)
     */
    public static BiConsumer<String, Map<String, Object>> start(URI endpoint, Duration interval, Gate.Capability gateCapability,
                                                                ThreadFactory threads, Consumer<Runnable> onShutdown) {
        Supplier<Gate.Capability> capability = () -> gateCapability;
        Resource resource = Resource.getDefault().merge(Resource.create(
                Attributes.of(AttributeKey.stringKey("service.name"), SERVICE_NAME)));
        SdkTracerProvider traces = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(new OtlpSpanExporter(OtlpHttp.forSignal(endpoint, "traces", capability)))
                        .setScheduleDelay(interval).build())
                .build();
        SdkMeterProvider metrics = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(new OtlpMetricExporter(OtlpHttp.forSignal(endpoint, "metrics", capability)))
                        .setInterval(interval).setExecutor(Executors.newSingleThreadScheduledExecutor(threads)).build())
                .build();
        SdkLoggerProvider logs = SdkLoggerProvider.builder().setResource(resource)
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(new OtlpLogExporter(OtlpHttp.forSignal(endpoint, "logs", capability)))
                        .setScheduleDelay(interval).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(traces).setMeterProvider(metrics)
                .setLoggerProvider(logs).build();
        onShutdown.accept(sdk::close); // flushes what is batched: the last decisions and the final checkpoint
        return new DecisionTelemetry(sdk);
    }
}
