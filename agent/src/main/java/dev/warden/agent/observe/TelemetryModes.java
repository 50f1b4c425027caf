package dev.warden.agent.observe;

import dev.warden.agent.config.WardenConfig;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.logging.WardenLog;
import dev.warden.agent.telemetry.OwnExport;
import dev.warden.agent.telemetry.TelemetryEvent;
import dev.warden.bootstrap.Gate;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Which telemetry Warden runs: the OpenTelemetry Java agent's when Warden is its extension, its own
 * OTLP export when {@code otlp-endpoint} is set, else none. The classes of a mode are loaded only when
 * it is chosen, so with neither no OpenTelemetry class is loaded (no start-up cost).
 */
public final class TelemetryModes {

    private static final String OTEL_AGENT_CLASS = "/io/opentelemetry/javaagent/bootstrap/InstrumentationHolder.class";

    private TelemetryModes() {
    }

    /**
     * @param agentTelemetry Warden's telemetry inside the OpenTelemetry agent when Warden is its extension
     *                       (loaded by the agent's extension loader, so typed as a JDK interface), else null
     * @param afterLogCloses where to leave what flushes Warden's own export at exit: run once the receipt log is closed,
     *                       so the last decisions and the final checkpoint are in it
     */
    @SuppressWarnings("unchecked")
    public static Telemetry start(WardenConfig config, Object agentTelemetry, Gate.Capability capability, WardenThreads threads,
                                  Consumer<Runnable> afterLogCloses) {
        BiConsumer<String, Map<String, Object>> sink;
        if (agentTelemetry != null) {
            if (config.otlpEndpoint() != null) {
                WardenLog.warn("otlp-endpoint is ignored: as the OpenTelemetry agent's extension Warden exports through the agent "
                        + "(otel.exporter.otlp.endpoint)");
            }
            sink = (BiConsumer<String, Map<String, Object>>) agentTelemetry;
            sink.accept(TelemetryEvent.STARTED, Map.of(TelemetryEvent.CAPABILITY, capability));
        } else if (config.otlpEndpoint() != null) {
            sink = OwnExport.start(config.otlpEndpoint(), config.otlpInterval(), capability, threads, afterLogCloses);
        } else {
            if (Object.class.getResource(OTEL_AGENT_CLASS) != null) {
                WardenLog.info("the OpenTelemetry Java agent runs beside Warden: load Warden as its extension "
                        + "(-Dotel.javaagent.extensions=warden-agent.jar) to see decisions in its telemetry");
            }
            return Telemetry.OFF;
        }
        TelemetryEvents events = new TelemetryEvents(sink);
        return new Telemetry(events, events, events::gauges);
    }
}
