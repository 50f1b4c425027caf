package dev.warden.agent.telemetry;

import dev.warden.bootstrap.Gate;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

import java.net.URI;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Warden's telemetry inside the OpenTelemetry Java agent. Loaded by the agent's extension loader (from
 * the root of warden-agent.jar), which rewrites its {@code io.opentelemetry.api} and {@code .context}
 * references to the agent's shaded API: so decisions reach the agent's SDK and current span. They go to
 * the agent's {@code GlobalOpenTelemetry} once the agent has set it (decisions before that, during
 * start-up, are in the receipts only).
 *
 * <p>The agent's OTLP/HTTP exporters are swapped for Warden's, which send the same requests to the same
 * endpoints from the export thread as Warden's own work: the agent's exporter connects from OkHttp's
 * threads, which the gate decides like the host's, so a policy refusing egress would refuse telemetry.
 */
public final class AgentExtension implements BiConsumer<String, Map<String, Object>> {

    private volatile Gate.Capability capability; // from Warden's start; until then nothing is exported
    private volatile DecisionTelemetry telemetry;
    private volatile Map<String, Object> gauges; // registered once the agent's SDK is there

    /** Registers the exporters with the agent's autoconfiguration; they export once Warden has started. */
    public AgentExtension(AutoConfigurationCustomizer customizer) {
        customizer.addSpanExporterCustomizer((exporter, config) -> isOtlpHttp(exporter)
                ? replace(exporter::shutdown, new OtlpSpanExporter(http(config, "traces"))) : exporter);
        customizer.addMetricExporterCustomizer((exporter, config) -> isOtlpHttp(exporter)
                ? replace(exporter::shutdown, new OtlpMetricExporter(http(config, "metrics"))) : exporter);
        customizer.addLogRecordExporterCustomizer((exporter, config) -> isOtlpHttp(exporter)
                ? replace(exporter::shutdown, new OtlpLogExporter(http(config, "logs"))) : exporter);
    }

    private static boolean isOtlpHttp(Object exporter) {
        return exporter.getClass().getName().startsWith("io.opentelemetry.exporter.otlp.http.");
    }

    private static <T> T replace(Runnable closeOriginal, T replacement) {
        closeOriginal.run(); // its client and threads are not used
        return replacement;
    }

    /** The endpoint the agent's exporter of this signal would have used (OTLP exporter configuration). */
    private OtlpHttp http(ConfigProperties config, String signal) {
        String own = config.getString("otel.exporter.otlp." + signal + ".endpoint");
        OtlpHttp http = own != null && !own.isBlank() ? new OtlpHttp(URI.create(own), this::capability)
                : OtlpHttp.forSignal(URI.create(config.getString("otel.exporter.otlp.endpoint", "http://localhost:4318")),
                signal, this::capability);
        OwnTls.keepFor(java.util.List.of(http.endpoint())); // the agent configures its SDK before the host's main
        return http;
    }

    private Gate.Capability capability() {
        return capability;
    }

    @Override
    public void accept(String event, Map<String, Object> values) {
        if (TelemetryEvent.STARTED.equals(event)) {
            capability = (Gate.Capability) values.get(TelemetryEvent.CAPABILITY);
            return;
        }
        if (TelemetryEvent.GAUGES.equals(event)) {
            DecisionTelemetry existing;
            synchronized (this) {
                gauges = values;
                existing = telemetry;
            }
            if (existing != null) {
                existing.accept(event, values);
            } else {
                telemetry(); // registers them once the agent's SDK is set
            }
            return;
        }
        DecisionTelemetry ready = telemetry();
        if (ready != null) {
            ready.accept(event, values);
        }
    }

    /** The agent's SDK, once it is the global one; null before (the agent sets it after its customizers ran). */
    private DecisionTelemetry telemetry() {
        DecisionTelemetry ready = telemetry;
        if (ready == null && GlobalOpenTelemetry.isSet()) {
            synchronized (this) {
                if (telemetry == null) {
                    telemetry = new DecisionTelemetry(GlobalOpenTelemetry.get());
                    if (gauges != null) {
                        telemetry.accept(TelemetryEvent.GAUGES, gauges);
                    }
                }
                ready = telemetry;
            }
        }
        return ready;
    }
}
