package dev.warden.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts Warden's bootstrap classes in the boot loader, where instrumented code of any loader can see
 * them. Appending the jar to the boot class path does that too, but makes the JVM print a
 * class-data-sharing warning on the host's stderr at every start; defining the classes directly
 * does not. The JDK internals this needs are exported to Warden's own loader only. Must not
 * reference any bootstrap class itself: it runs before they exist.
 */
public final class BootstrapInjector {

    private BootstrapInjector() {
    }

    /** Called by the launcher before anything that links against the bootstrap classes. */
    public static void inject(Instrumentation instrumentation, Path bootstrapJar) throws IOException {
        try (JarFile jar = new JarFile(bootstrapJar.toFile())) {
            Map<String, byte[]> classes = classes(jar);
            try {
                defineInBootLoader(instrumentation, classes);
                return;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
                // Fall through: the documented route, at the price of the JVM's warning.
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar.toFile()));
    }

    private static Map<String, byte[]> classes(JarFile jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (JarEntry entry : Collections.list(jar.entries())) {
            String name = entry.getName();
            if (name.endsWith(".class") && !name.equals("module-info.class")) {
                try (InputStream in = jar.getInputStream(entry)) {
                    classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                }
            }
        }
        return classes;
    }

    private static void defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classes)
            throws ReflectiveOperationException {
        instrumentation.redefineModule(Object.class.getModule(), Set.of(),
                Map.of("jdk.internal.misc", Set.of(BootstrapInjector.class.getModule())), Map.of(), Set.of(), Map.of());
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        Map<String, byte[]> pending = new LinkedHashMap<>(classes);
        while (!pending.isEmpty()) {
            int before = pending.size();
            // A class whose supertype is not defined yet fails; it is retried after the others.
            pending.entrySet().removeIf(each -> tryDefine(define, unsafe, each.getKey(), each.getValue()));
            if (pending.size() == before) {
                throw new IllegalStateException("cannot define bootstrap classes " + pending.keySet());
            }
        }
    }

    private static boolean tryDefine(Method define, Object unsafe, String name, byte[] bytes) {
        try {
            define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
            return true;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof LinkageError && !(e.getCause() instanceof NoClassDefFoundError)) {
                return true; // already defined (a duplicate definition): nothing left to do for it
            }
            return false;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
