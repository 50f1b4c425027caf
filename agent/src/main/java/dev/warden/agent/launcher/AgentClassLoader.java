package dev.warden.agent.launcher;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads Warden and its libraries apart from the host: its parent is the platform loader, so it sees
 * the JDK (and, through the boot loader, Warden's bootstrap classes) but nothing of the application.
 */
final class AgentClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    AgentClassLoader(Path[] jars) {
        super("warden", urls(jars), ClassLoader.getPlatformClassLoader());
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
