import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads every class of the given jars through one URLClassLoader (as an application's class path would) and
 * prints the wall and CPU time that took: what an agent's class-loading matchers add shows as the difference
 * between runs with and without it. Classes whose optional dependencies are missing are counted, not fatal.
 */
public final class LoadEveryClass {

    public static void main(String[] jars) throws Exception {
        List<URL> urls = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String jar : jars) {
            urls.add(new File(jar).toURI().toURL());
            try (JarFile file = new JarFile(jar)) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    String name = entry.getName();
                    if (name.endsWith(".class") && !name.contains("-") && !name.startsWith("META-INF/")) {
                        names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                    }
                }
            }
        }
        var threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        int loaded = 0;
        int failed = 0;
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new))) {
            for (String name : names) {
                try {
                    Class.forName(name, false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError missingDependency) {
                    failed++;
                }
            }
        }
        System.out.printf("%d classes loaded (%d not loadable) in %.0f ms wall, %.0f ms CPU%n", loaded, failed,
                (System.nanoTime() - wall) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
    }
}
