package dev.warden.agent.observe;

import dev.warden.agent.config.WardenConfig;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.logging.WardenLog;
import dev.warden.agent.observe.otel.AgentExtension;
import dev.warden.agent.observe.otlp.OwnExport;
import dev.warden.bootstrap.Gate;

/**
 * Which telemetry Warden runs: the OpenTelemetry Java agent's when Warden is its extension, its own
 * OTLP export when {@code otlp-endpoint} is set, else none. The classes of a mode are loaded only when
 * it is chosen, so with neither no OpenTelemetry class is loaded (no start-up cost).
 */
public final class TelemetryModes {

    private static final String OTEL_AGENT_CLASS = "/io/opentelemetry/javaagent/bootstrap/InstrumentationHolder.class";

    private TelemetryModes() {
    }

    /** @param otelCustomizer the OpenTelemetry agent's autoconfiguration customizer when Warden is its extension, else null */
    public static Telemetry start(WardenConfig config, Object otelCustomizer, Gate.Capability capability, WardenThreads threads) {
        if (otelCustomizer != null) {
            if (config.otlpEndpoint() != null) {
                WardenLog.warn("otlp-endpoint is ignored: as the OpenTelemetry agent's extension Warden exports through the agent "
                        + "(otel.exporter.otlp.endpoint)");
            }
            return AgentExtension.install(otelCustomizer, capability);
        }
        if (config.otlpEndpoint() != null) {
            return OwnExport.start(config.otlpEndpoint(), config.otlpInterval(), capability, threads,
                    flush -> Runtime.getRuntime().addShutdownHook(threads.newThread(flush)));
        }
        if (Object.class.getResource(OTEL_AGENT_CLASS) != null) {
            WardenLog.info("the OpenTelemetry Java agent runs beside Warden: load Warden as its extension "
                    + "(-Dotel.javaagent.extensions=warden-agent.jar) to see decisions in its telemetry");
        }
        return Telemetry.OFF;
    }
}
