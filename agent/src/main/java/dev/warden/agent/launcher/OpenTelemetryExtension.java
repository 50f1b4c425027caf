package dev.warden.agent.launcher;

import dev.warden.agent.telemetry.AgentExtension;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Warden as an extension of the OpenTelemetry Java agent ({@code -Dotel.javaagent.extensions=warden-agent.jar}).
 * The agent loads this class from its extension class loader while it configures its SDK, during its own
 * {@code premain}; Warden then starts as with {@code -javaagent}, with the {@link Instrumentation} the agent
 * keeps in its bootstrap {@code InstrumentationHolder}. Warden's engine stays in its own class loader;
 * only its telemetry ({@code dev.warden.agent.telemetry}, at the jar's root) is loaded here, where the agent
 * rewrites it to its shaded API, and the two speak through JDK types.
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
        Path agentJar = agentJar();
        if (agentJar == null) {
            System.err.println("warden: no warden-agent.jar among otel.javaagent.extensions, so the application will not run unguarded");
            System.exit(WardenLauncher.REFUSED_TO_START);
        }
        // Loaded here, by the agent's extension loader: it speaks the agent's (shaded) OpenTelemetry API.
        WardenLauncher.startAsExtension(agentJar, instrumentation, new AgentExtension(customizer), startedNanos);
    }

    /**
     * This jar, among the agent's extensions (a comma-separated list of jars and directories of jars): the
     * agent's extension loader reads it through a URL scheme of its own, so it cannot say where it is.
     */
    static Path agentJar() {
        String extensions = System.getProperty("otel.javaagent.extensions", System.getenv("OTEL_JAVAAGENT_EXTENSIONS"));
        if (extensions == null) {
            return null;
        }
        for (String entry : extensions.split(",")) {
            Path path = Path.of(entry.trim());
            List<Path> candidates = new ArrayList<>();
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.sorted().forEach(candidates::add);
                } catch (IOException unreadable) {
                    continue;
                }
            } else {
                candidates.add(path);
            }
            for (Path candidate : candidates) {
                if (NestedJars.isAgentJar(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
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
