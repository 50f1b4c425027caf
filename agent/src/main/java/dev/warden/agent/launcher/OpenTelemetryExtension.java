package dev.warden.agent.launcher;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

import java.lang.instrument.Instrumentation;

/**
 * Warden as an extension of the OpenTelemetry Java agent ({@code -Dotel.javaagent.extensions=warden-agent.jar}).
 * The agent loads this class from its extension class loader while it configures its SDK, during its own
 * {@code premain}; Warden then starts as with {@code -javaagent}, with the {@link Instrumentation} the agent
 * keeps in its bootstrap {@code InstrumentationHolder}, and its class loader takes OpenTelemetry's classes
 * from the agent's.
 */
public final class OpenTelemetryExtension implements AutoConfigurationCustomizerProvider {

    private static final String INSTRUMENTATION_HOLDER = "io.opentelemetry.javaagent.bootstrap.InstrumentationHolder";

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        long startedNanos = System.nanoTime();
        ClassLoader extensionLoader = OpenTelemetryExtension.class.getClassLoader();
        Instrumentation instrumentation = agentInstrumentation();
        if (instrumentation == null || extensionLoader == ClassLoader.getSystemClassLoader()) {
            return; // not the agent's extension: an application's own SDK found warden-agent.jar on its class path
        }
        WardenLauncher.startAsExtension(instrumentation, extensionLoader, customizer, startedNanos);
    }

    /** After every other customizer: Warden sees the exporters the configuration finally chose. */
    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    private static Instrumentation agentInstrumentation() {
        try {
            Object instrumentation = Class.forName(INSTRUMENTATION_HOLDER, true, null).getMethod("getInstrumentation").invoke(null);
            return instrumentation instanceof Instrumentation ? (Instrumentation) instrumentation : null;
        } catch (ReflectiveOperationException | LinkageError notTheAgent) {
            return null;
        }
    }
}
