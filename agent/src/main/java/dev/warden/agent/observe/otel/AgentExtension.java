package dev.warden.agent.observe.otel;

import dev.warden.agent.logging.WardenLog;
import dev.warden.agent.observe.DecisionObserver;
import dev.warden.agent.observe.Telemetry;
import dev.warden.agent.observe.otlp.OtlpHttp;
import dev.warden.agent.observe.otlp.OtlpLogExporter;
import dev.warden.agent.observe.otlp.OtlpMetricExporter;
import dev.warden.agent.observe.otlp.OtlpSpanExporter;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;
import dev.warden.receipts.ReceiptDraft;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

import java.net.URI;

/**
 * Warden as the OpenTelemetry Java agent's extension. Warden's class loader then takes every
 * {@code io.opentelemetry.*} class from the agent's (see the launcher), so these are the agent's API,
 * SDK and exporters: decisions go to the agent's {@code GlobalOpenTelemetry} once the agent has set it
 * (decisions before that, during start-up, are in the receipts only). The agent's OTLP/HTTP exporters
 * are swapped for Warden's, which send the same requests to the same endpoints from the export thread
 * as Warden's own work: the agent's exporter would connect from OkHttp's threads, which the gate
 * decides like the host's, so a policy refusing egress would refuse the telemetry.
 */
public final class AgentExtension implements DecisionObserver, CheckpointListener {

    private volatile DecisionTelemetry telemetry;

    private AgentExtension() {
    }

    /** @param customizer the agent's {@code AutoConfigurationCustomizer}, typed loosely: the launcher cannot name it */
    public static Telemetry install(Object customizer, Gate.Capability capability) {
        AutoConfigurationCustomizer autoConfiguration = (AutoConfigurationCustomizer) customizer;
        autoConfiguration.addSpanExporterCustomizer((exporter, config) -> isOtlpHttp(exporter)
                ? replaced(exporter, new OtlpSpanExporter(http(config, "traces", capability)), exporter::shutdown) : exporter);
        autoConfiguration.addMetricExporterCustomizer((exporter, config) -> isOtlpHttp(exporter)
                ? replaced(exporter, new OtlpMetricExporter(http(config, "metrics", capability)), exporter::shutdown) : exporter);
        autoConfiguration.addLogRecordExporterCustomizer((exporter, config) -> isOtlpHttp(exporter)
                ? replaced(exporter, new OtlpLogExporter(http(config, "logs", capability)), exporter::shutdown) : exporter);
        AgentExtension extension = new AgentExtension();
        return new Telemetry(extension, extension);
    }

    private static boolean isOtlpHttp(Object exporter) {
        boolean otlpHttp = exporter.getClass().getName().startsWith("io.opentelemetry.exporter.otlp.http.");
        if (!otlpHttp && exporter.getClass().getName().startsWith("io.opentelemetry.exporter.otlp.")) {
            WardenLog.warn("the OpenTelemetry agent exports with " + exporter.getClass().getSimpleName()
                    + " from threads of its own: the gate decides its connections like the host's (use otel.exporter.otlp.protocol=http/protobuf)");
        }
        return otlpHttp;
    }

    private static <T> T replaced(Object original, T replacement, Runnable closeOriginal) {
        closeOriginal.run(); // its client and threads are not used
        return replacement;
    }

    /** The endpoint the agent's exporter of this signal would have used (OTLP exporter configuration). */
    static OtlpHttp http(ConfigProperties config, String signal, Gate.Capability capability) {
        String own = config.getString("otel.exporter.otlp." + signal + ".endpoint");
        if (own != null && !own.isBlank()) {
            return new OtlpHttp(URI.create(own), capability);
        }
        return OtlpHttp.forSignal(URI.create(config.getString("otel.exporter.otlp.endpoint", "http://localhost:4318")), signal, capability);
    }

    /** The agent's SDK, once it is the global one; null before (the agent sets it after its customizers ran). */
    private DecisionTelemetry telemetry() {
        DecisionTelemetry ready = telemetry;
        if (ready == null && GlobalOpenTelemetry.isSet()) {
            synchronized (this) {
                if (telemetry == null) {
                    telemetry = new DecisionTelemetry(GlobalOpenTelemetry.get());
                }
                ready = telemetry;
            }
        }
        return ready;
    }

    @Override
    public void decided(ReceiptDraft receipt, Decision decision, long nanos) {
        DecisionTelemetry ready = telemetry();
        if (ready != null) {
            ready.decided(receipt, decision, nanos);
        }
    }

    @Override
    public void signed(NewCheckpoint checkpoint) {
        DecisionTelemetry ready = telemetry();
        if (ready != null) {
            ready.signed(checkpoint);
        }
    }
}
