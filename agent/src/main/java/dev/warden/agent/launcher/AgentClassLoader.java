package dev.warden.agent.launcher;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads Warden and its libraries apart from the host: its parent is the platform loader, so it sees
 * the JDK (and, through the boot loader, Warden's bootstrap classes) but nothing of the application.
 * As the OpenTelemetry Java agent's extension it takes every {@code io.opentelemetry.*} class from the
 * agent's extension loader instead of its own nested copies, so that Warden speaks to the agent's SDK
 * (one {@code GlobalOpenTelemetry}, one set of exporters); the application still sees none of them.
 */
final class AgentClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final String OPENTELEMETRY = "io.opentelemetry.";

    private final ClassLoader openTelemetry; // null: Warden's own copies

    AgentClassLoader(Path[] jars) {
        this(jars, null);
    }

    AgentClassLoader(Path[] jars, ClassLoader openTelemetry) {
        super("warden", urls(jars), ClassLoader.getPlatformClassLoader());
        this.openTelemetry = openTelemetry;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (openTelemetry != null && name.startsWith(OPENTELEMETRY)) {
            return openTelemetry.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    private static URL[] urls(Path[] jars) {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            try {
                urls[i] = jars[i].toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(jars[i].toString(), e);
            }
        }
        return urls;
    }
}
