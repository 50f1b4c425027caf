package dev.warden.e2e.host;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Defines classes from bytes it holds in memory and, like some application servers, Groovy and
 * bytecode generators, does not serve those bytes back: {@code getResourceAsStream} of a
 * {@code .class} it defined answers {@code null}. Other resources it serves.
 */
final class MemoryClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> entries;

    MemoryClassLoader(Map<String, byte[]> entries, ClassLoader parent) {
        super("memory", parent);
        this.entries = Map.copyOf(entries);
    }

    /** Every entry of a jar, read into memory. */
    static MemoryClassLoader ofJar(Path jar, ClassLoader parent) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                if (!entry.isDirectory()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        entries.put(entry.getName(), in.readAllBytes());
                    }
                }
            }
        }
        return new MemoryClassLoader(entries, parent);
    }

    /** Its own classes first: a class it holds is never taken from the parent, even if the parent has one of that name. */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!entries.containsKey(name.replace('.', '/') + ".class")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            return loaded != null ? loaded : findClass(name);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = entries.get(name.replace('.', '/') + ".class");
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        if (name.endsWith(".class")) {
            return entries.containsKey(name) || getParent() == null ? null : getParent().getResourceAsStream(name);
        }
        InputStream fromParent = getParent() == null ? null : getParent().getResourceAsStream(name);
        if (fromParent != null) {
            return fromParent;
        }
        byte[] bytes = entries.get(name);
        return bytes == null ? null : new ByteArrayInputStream(bytes);
    }
}
