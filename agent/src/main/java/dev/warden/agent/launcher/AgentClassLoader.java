package dev.warden.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;

/**
 * Loads Warden and its libraries apart from the host: its parent is the platform loader, so it sees
 * the JDK (and, through the boot loader, Warden's bootstrap classes) but nothing of the application.
 *
 * <p>Classes and resources are looked for only in the jars the {@link JarIndex} names for them, each jar opened
 * the first time it is needed: at the host's start, a class no longer costs a walk through every jar before its own.
 * The jars are unsigned ({@link StoredJar}); a class gets its jar's code source and its package the jar's manifest,
 * as from a {@code URLClassLoader}. Once the agent has started, {@link #openRemaining()} opens the jars not needed so
 * far, so that a clean-up removing the unpacked files from under a long-running JVM takes none of its classes.
 */
final class AgentClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final Path[] jars;
    private final URL[] bases;
    private final CodeSource[] sources;
    private final AtomicReferenceArray<JarFile> opened;
    private volatile boolean closed;
    private final JarIndex index;
    /** For each jar the index names, its position among {@link #jars}, or -1. */
    private final int[] positions;

    AgentClassLoader(Path[] jars, JarIndex index) {
        super("warden", urls(jars), ClassLoader.getPlatformClassLoader());
        this.jars = jars.clone();
        this.index = index;
        this.opened = new AtomicReferenceArray<>(jars.length);
        this.bases = new URL[jars.length];
        this.sources = new CodeSource[jars.length];
        List<String> indexed = index.jars();
        this.positions = new int[indexed.size()];
        java.util.Arrays.fill(positions, -1);
        for (int j = 0; j < jars.length; j++) {
            int i = indexed.indexOf(jars[j].getFileName().toString());
            if (i < 0) {
                // Its classes would never be found: a start refused now, not a class missing later.
                throw new IllegalArgumentException(jars[j] + " is not in the index of the unpacked jars");
            }
            positions[i] = j;
        }
        URL[] urls = getURLs();
        for (int i = 0; i < jars.length; i++) {
            sources[i] = new CodeSource(urls[i], (CodeSigner[]) null);
            try {
                bases[i] = new URL("jar:" + urls[i] + "!/");
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(jars[i].toString(), e);
            }
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/').concat(".class");
        try {
            for (int jar : holders(path)) {
                JarFile file = jar(jar);
                JarEntry entry = file.getJarEntry(path);
                if (entry != null) {
                    return define(name, jar, file, entry);
                }
            }
        } catch (IOException | UncheckedIOException | IllegalStateException unreadable) {
            // IllegalStateException: a jar closed meanwhile (the loader was closed)
            throw new ClassNotFoundException(name, unreadable);
        }
        throw new ClassNotFoundException(name);
    }

    /**
     * Opens every jar not opened yet. An open jar stays readable after its file is removed (a clean-up of
     * {@code /tmp} that removes files not read for days): its classes cannot go missing later.
     *
     * @return the jars that could not be opened, each as its path and why
     */
    List<String> openRemaining() {
        List<String> unopened = new ArrayList<>(0);
        for (int i = 0; i < jars.length && !closed; i++) {
            try {
                jar(i);
            } catch (IOException | RuntimeException failure) {
                unopened.add(jars[i] + ": " + failure);
            }
        }
        return unopened;
    }

    @Override
    public URL findResource(String name) {
        List<URL> found = find(name, true);
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public Enumeration<URL> findResources(String name) {
        return Collections.enumeration(find(name, false));
    }

    /**
     * Does nothing: the running agent's loader is reachable from host code through public API (a Warden thread's
     * class, {@code MBeanServer.getClassLoaderFor}), and once closed it would load none of the classes Warden has not
     * needed yet, its closing at exit among them. Warden never closes it; {@link #release} is for a loader no agent runs from.
     */
    @Override
    public void close() {
    }

    /** Lets go of the jars: the loader serves nothing more. */
    void release() throws IOException {
        closed = true;
        try {
            super.close();
        } finally {
            for (int i = 0; i < opened.length(); i++) {
                JarFile file = opened.getAndSet(i, null);
                if (file != null) {
                    file.close();
                }
            }
        }
    }

    private List<URL> find(String name, boolean first) {
        List<URL> found = new ArrayList<>(1);
        for (int jar : holders(name)) {
            try {
                JarEntry entry = jar(jar).getJarEntry(name);
                URL url = entry == null ? null : url(jar, entry);
                if (url != null) {
                    found.add(url);
                    if (first) {
                        break;
                    }
                }
            } catch (IOException | UncheckedIOException | IllegalStateException unreadable) {
                // as a URLClassLoader does with a jar it cannot open: the resource is not found there
            }
        }
        return found;
    }

    private int[] holders(String resource) {
        int[] indexed = index.jarsHolding(resource);
        int[] holders = new int[indexed.length];
        int count = 0;
        for (int jar : indexed) {
            if (positions[jar] >= 0) {
                holders[count++] = positions[jar];
            }
        }
        int[] found = count == holders.length ? holders : Arrays.copyOf(holders, count);
        Arrays.sort(found); // this loader's order, which need not be the index's (the CLI puts the bootstrap jar last)
        return found;
    }

    private JarFile jar(int position) throws IOException {
        JarFile file = opened.get(position);
        if (file == null) {
            if (closed) {
                throw new IOException("closed: " + jars[position]);
            }
            // Versioned for the running JDK, as a URLClassLoader opens a multi-release jar.
            JarFile fresh = new JarFile(jars[position].toFile(), false, ZipFile.OPEN_READ, Runtime.version());
            if (opened.compareAndSet(position, null, fresh)) {
                file = fresh;
                if (closed && opened.compareAndSet(position, fresh, null)) {
                    fresh.close(); // release() ran meanwhile and did not see it
                    throw new IOException("closed: " + jars[position]);
                }
            } else {
                fresh.close();
                file = opened.get(position);
                if (file == null) {
                    throw new IOException("closed: " + jars[position]);
                }
            }
        }
        return file;
    }

    private Class<?> define(String name, int jar, JarFile file, JarEntry entry) throws IOException {
        byte[] bytes;
        try (InputStream in = file.getInputStream(entry)) {
            bytes = StoredJar.readEntry(in, entry);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String packageName = name.substring(0, dot);
            if (getDefinedPackage(packageName) == null) {
                Manifest manifest = file.getManifest();
                try {
                    if (manifest != null) {
                        definePackage(packageName, manifest, sources[jar].getLocation());
                    } else {
                        definePackage(packageName, null, null, null, null, null, null, null);
                    }
                } catch (IllegalArgumentException definedMeanwhile) {
                    // another thread defined it first: the same package
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, sources[jar]);
    }

    private URL url(int jar, JarEntry entry) {
        try {
            // The entry's real name: in a multi-release jar, the version that applies.
            // Percent-encoded as a URLClassLoader's (non-ASCII as UTF-8); a colon before the first slash would read as a scheme.
            String path = new URI(null, null, entry.getRealName(), null).toASCIIString();
            int colon = path.indexOf(':');
            return colon >= 0 && (path.indexOf('/') < 0 || colon < path.indexOf('/')) ? null : new URL(bases[jar], path);
        } catch (URISyntaxException | MalformedURLException unnameable) {
            return null;
        }
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
