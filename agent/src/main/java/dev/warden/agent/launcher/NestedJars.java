package dev.warden.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The jars nested in the agent jar ({@code warden/bootstrap/*.jar}, {@code warden/lib/*.jar}),
 * unpacked once per agent build into an owner-only cache directory that later starts reuse, as the build nested them
 * (uncompressed and unsigned, by {@code dev.warden.agent.packaging.PackNestedJars}), with an index of what each holds ({@link JarIndex}), so starts read
 * their classes cheaply. The directory name is derived from the entries' names, sizes and CRCs, so a different build never
 * reuses another's files; where the builds go is the {@link UnpackRoot}'s choice.
 * Builds no running JVM uses any more are removed at start, but for the two started most recently within a day
 * ({@link BuildsInUse}).
 *
 * @param root the directory the builds are unpacked under, Warden's own: the default cache of compiled policies is in
 *             it too
 */
record NestedJars(Path agentJar, Path root, Path bootstrap, Path[] libraries, JarIndex index) {

    private static final String BOOTSTRAP = "warden/bootstrap/";
    private static final String LIBRARIES = "warden/lib/";
    static final String COMPLETE = ".complete";
    private static final String LAYOUT = "copied-indexed-3\n";
    /** A build's ~100 MB of jars, written in fewer and larger writes than {@code Files.copy}'s 8 KiB (10-15 % sooner). */
    private static final int COPY_BUFFER = 1 << 16;

    /** The nested jars of the jar this class was loaded from, unpacked under {@code root}. */
    static NestedJars unpack(UnpackRoot root) throws IOException {
        return unpack(launcherJar(), root.directory());
    }

    /** The nested jars of {@code agentJar}, unpacked under {@code root}. */
    static synchronized NestedJars unpack(Path agentJar, Path root) throws IOException {
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            List<JarEntry> entries = nestedEntries(jar);
            String build = fingerprint(entries);
            Path directory = root.resolve(build);
            BuildsInUse.use(root, build); // before looking: no clean-up removes it from now on
            if (!Files.exists(directory.resolve(COMPLETE))) {
                // JVMs starting together unpack one at a time; those that waited find the build whole.
                try (BuildsInUse.Unpacking alone = BuildsInUse.unpacking(root, build)) {
                    if (!Files.exists(directory.resolve(COMPLETE))) {
                        extract(jar, entries, directory);
                    }
                }
            }
            NestedJars jars;
            try {
                jars = locate(agentJar, root, directory, entries);
            } catch (NoSuchFileException removedByAge) {
                // A clean-up of the temporary directory by age removed jars (kept with the time they were packed
                // with, older than the marker): what is missing was not changed, so it is unpacked afresh.
                try (BuildsInUse.Unpacking alone = BuildsInUse.unpacking(root, build)) {
                    try {
                        jars = locate(agentJar, root, directory, entries);
                    } catch (NoSuchFileException stillMissing) {
                        extract(jar, entries, directory);
                        jars = locate(agentJar, root, directory, entries);
                    }
                }
            }
            BuildsInUse.removeUnused(root, build, java.time.Instant.now());
            return jars;
        }
    }

    private static Path launcherJar() throws IOException {
        try {
            return Path.of(NestedJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot locate warden-agent.jar", e);
        }
    }

    /** Whether {@code file} is a Warden agent jar: one with nested bootstrap classes. */
    static boolean isAgentJar(Path file) {
        if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(file.toFile())) {
            return jar.getEntry(BOOTSTRAP + "warden-bootstrap.jar") != null;
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static List<JarEntry> nestedEntries(JarFile jar) {
        List<JarEntry> entries = new ArrayList<>();
        for (JarEntry entry : Collections.list(jar.entries())) {
            String name = entry.getName();
            if (!entry.isDirectory() && name.endsWith(".jar") && (name.startsWith(BOOTSTRAP) || name.startsWith(LIBRARIES))) {
                entries.add(entry);
            }
        }
        entries.sort((a, b) -> a.getName().compareTo(b.getName()));
        return entries;
    }

    private static String fingerprint(List<JarEntry> entries) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // How the jars are unpacked: another layout is another directory.
            digest.update(LAYOUT.getBytes(StandardCharsets.UTF_8));
            for (JarEntry entry : entries) {
                digest.update((entry.getName() + ':' + entry.getSize() + ':' + entry.getCrc() + '\n')
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void extract(JarFile jar, List<JarEntry> entries, Path directory) throws IOException {
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            // Unpacked builds appear whole (moved in with their marker): this one is what a clean-up that
            // stopped half-way left.
            try {
                deleteRecursively(directory);
            } catch (IOException anotherJvmRemovesItToo) {
                // only without file locks; the move below tells
            }
        }
        Path staging = Files.createTempDirectory(directory.getParent(), directory.getFileName() + ".staging-");
        StringBuilder sizes = new StringBuilder();
        List<Path> written = new ArrayList<>();
        byte[] buffer = new byte[COPY_BUFFER];
        for (JarEntry entry : entries) {
            Path file = staging.resolve(entry.getName());
            Files.createDirectories(file.getParent());
            long size = 0;
            try (InputStream in = jar.getInputStream(entry); OutputStream out = Files.newOutputStream(file)) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                    size += read;
                }
            }
            packedTime(file, entry);
            sizes.append(entry.getName()).append(' ').append(size).append('\n');
            written.add(file);
        }
        JarIndex.write(staging, written);
        sizes.append(JarIndex.FILE).append(' ').append(Files.size(staging.resolve(JarIndex.FILE))).append('\n');
        // The marker lists what was written: later starts check the files against it.
        Files.writeString(staging.resolve(COMPLETE), sizes, StandardCharsets.UTF_8);
        try {
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // Only where the file system has no locks can another JVM have unpacked the same build meanwhile
            // (Linux reports that as a plain "Directory not empty"); use its copy.
            deleteRecursively(staging);
            if (!Files.exists(directory.resolve(COMPLETE))) {
                throw raced;
            }
        }
    }

    /**
     * Gives {@code file} the time its entry was packed with, as unzip does: a build unpacked again (its directory
     * removed by another build's clean-up meanwhile) has the jars it had, and the caches keyed by them (BuildId) still
     * match. The entry's local date and time are read as UTC, so that JVMs in other time zones set the same time.
     */
    private static void packedTime(Path file, JarEntry entry) {
        java.time.LocalDateTime packed = entry.getTimeLocal();
        if (packed == null) {
            return;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.from(packed.toInstant(java.time.ZoneOffset.UTC)));
        } catch (IOException | RuntimeException notHere) {
            // a file system that keeps no such time: the caches then miss after the build is unpacked again
        }
    }

    private static NestedJars locate(Path agentJar, Path root, Path directory, List<JarEntry> entries) throws IOException {
        Map<String, Long> written = new HashMap<>();
        for (String line : Files.readAllLines(directory.resolve(COMPLETE), StandardCharsets.UTF_8)) {
            int space = line.lastIndexOf(' ');
            try {
                written.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            } catch (RuntimeException notALineWeWrote) {
                // its jar is then unaccounted for, below
            }
        }
        Path bootstrap = null;
        List<Path> libraries = new ArrayList<>();
        for (JarEntry entry : entries) {
            Path file = directory.resolve(entry.getName());
            Long size = written.get(entry.getName());
            if (size == null || Files.size(file) != size) {
                throw new IOException("unpacked " + file + " does not match the agent jar; delete " + directory);
            }
            if (entry.getName().startsWith(BOOTSTRAP)) {
                bootstrap = file;
            } else {
                libraries.add(file);
            }
        }
        if (bootstrap == null || libraries.isEmpty()) {
            throw new IOException("the agent jar holds no nested jars: was it built with 'mvn package'?");
        }
        Path indexFile = directory.resolve(JarIndex.FILE);
        Long indexSize = written.get(JarIndex.FILE);
        if (indexSize == null || !Files.isRegularFile(indexFile) || Files.size(indexFile) != indexSize) {
            throw new IOException("the index of " + directory + " is not the one unpacked with it; delete " + directory);
        }
        try {
            return new NestedJars(agentJar, root, bootstrap, libraries.toArray(Path[]::new), JarIndex.read(directory));
        } catch (IOException unreadable) {
            throw new IOException(unreadable.getMessage() + "; delete " + directory, unreadable);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path each : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(each);
            }
        }
    }
}
