package dev.warden.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The jars nested in the agent jar ({@code warden/bootstrap/*.jar}, {@code warden/lib/*.jar}),
 * unpacked once per agent build into an owner-only cache directory that later starts reuse, as the build nested them
 * (uncompressed and unsigned, by {@code dev.warden.agent.packaging.PackNestedJars}), with an index of what each holds ({@link JarIndex}), so starts read
 * their classes cheaply. The directory name is derived from the entries' names, sizes and CRCs, so a different build never
 * reuses another's files; a directory not owned by this user, or open to others, is never trusted.
 * Builds no running JVM uses any more are removed at start ({@link BuildsInUse}).
 *
 * @param root the directory the builds are unpacked under, Warden's own: the default cache of compiled policies is in
 *             it too
 */
record NestedJars(Path agentJar, Path root, Path bootstrap, Path[] libraries, JarIndex index) {

    private static final String BOOTSTRAP = "warden/bootstrap/";
    private static final String LIBRARIES = "warden/lib/";
    static final String COMPLETE = ".complete";
    /** The prefix of a private directory unpacked into when {@code $TMPDIR/warden-$USER} cannot be trusted. */
    private static final String FALLBACK = "warden-private-";
    private static final String LAYOUT = "copied-indexed-3\n";
    /** A build's ~100 MB of jars, written in fewer and larger writes than {@code Files.copy}'s 8 KiB (10-15 % sooner). */
    private static final int COPY_BUFFER = 1 << 16;

    static NestedJars unpack() throws IOException {
        return unpack(launcherJar());
    }

    /** The nested jars of {@code agentJar} (the OpenTelemetry agent's extension loader hides where it read it from). */
    static NestedJars unpack(Path agentJar) throws IOException {
        return unpack(agentJar, cacheRoot());
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
            NestedJars jars = locate(agentJar, root, directory, entries);
            BuildsInUse.removeUnused(root, build);
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

    private static Path cacheRoot() throws IOException {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        String controlled = otherUserControls(temporary);
        if (controlled != null) {
            System.err.println("warden: WARNING: java.io.tmpdir " + temporary + " is not safe for Warden's jars: " + controlled
                    + ", and could replace Warden's jars with theirs between this check and their use (make it sticky,"
                    + " chmod +t, or give the JVM a java.io.tmpdir that only root and this user may change)");
        }
        Path root = temporary.resolve("warden-" + userName());
        try {
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException alreadyThere) {
            // verified below
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(root);
            return root;
        }
        if (Files.getFileAttributeView(root, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) == null || ownerOnly(root)) {
            return root;
        }
        // Someone else could plant jars there (another user made it first, or may write in it): a private directory of
        // this user's instead, the one an earlier start made if there is one, so that starts do not each leave a build.
        Path own = ownerOnlyBeside(root);
        System.err.println("warden: WARNING: " + root + " is not this user's alone; Warden's jars are unpacked in " + own
                + " instead");
        return own;
    }

    /**
     * {@code user.name}, or this process's user id where the JVM could not name the user: it says "?" for every id
     * without a passwd entry (as containers run), and two such ids sharing a temporary directory would share the name.
     */
    private static String userName() {
        String name = System.getProperty("user.name", "");
        if (!name.isEmpty() && !name.equals("?") && name.indexOf('/') < 0 && name.indexOf('\\') < 0) {
            return name;
        }
        Integer uid = processUid();
        return uid == null ? "unnamed" : uid.toString();
    }

    /**
     * Who besides root and this user could replace what is unpacked under {@code temporary}, or {@code null} for nobody:
     * each directory from it up must be root's or this user's, and others may write in it only if it is sticky (as
     * {@code /tmp} is); in any other, another user could rename Warden's directory away and put one of theirs in its
     * place. The start goes on, with a warning, for there is no safer place to choose: a Kubernetes {@code emptyDir}
     * is open to all without the sticky bit, and in a user namespace root's directories belong to an unmapped id. The
     * rules' {@code CacheDirectory} asks the same of the cache's directories, and bears such a directory only above
     * Warden's own jars, as here.
     */
    private static String otherUserControls(Path temporary) throws IOException {
        for (Path above = temporary; above != null; above = above.getParent()) {
            Map<String, Object> unix;
            try {
                unix = Files.readAttributes(above, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
                return null; // no owners to compare (Windows): not checked
            }
            int mode = (Integer) unix.get("mode");
            if ((Integer) unix.get("uid") != 0 && !ownedByThisProcess(above)) {
                return "user id " + unix.get("uid") + " owns " + above;
            }
            if ((mode & 0022) != 0 && (mode & 01000) == 0) {
                return "others may write in " + above + " without the sticky bit";
            }
        }
        return null;
    }

    private static boolean ownerOnly(Path directory) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> permissions = attributes.permissions();
            return attributes.isDirectory() && ownedByThisProcess(directory)
                    && !permissions.contains(PosixFilePermission.GROUP_WRITE) && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * A {@code warden-private-*} directory beside {@code root} that is this user's alone (the first by name, so that
     * every start picks the same), made if there is none or the directory cannot be listed. Others' directories of that
     * name are passed over however many there are: counting them against a bound would let another user push this
     * user's out of it, and make every start unpack a hundred megabytes anew.
     */
    private static Path ownerOnlyBeside(Path root) throws IOException {
        Path chosen = null;
        try (DirectoryStream<Path> beside = Files.newDirectoryStream(root.getParent(), FALLBACK + "*")) {
            for (Path candidate : beside) {
                if ((chosen == null || candidate.getFileName().toString().compareTo(chosen.getFileName().toString()) < 0)
                        && ownerOnly(candidate)) {
                    chosen = candidate;
                }
            }
        } catch (IOException | RuntimeException unlisted) {
            chosen = null; // a temporary directory others may not list (1733): make one
        }
        return chosen != null ? chosen : Files.createTempDirectory(root.getParent(), FALLBACK);
    }

    /**
     * Whether {@code directory} (a link is not followed) belongs to the user this process runs as: by user id, where
     * procfs says whose this process is (Linux), which no other user can change; else by name, {@code user.name}. Not
     * by name alone: a user id without a passwd entry, as containers often run, is named "?" in {@code user.name} and
     * by number on its files, and every start then unpacked into a new directory of its own, never removed. The rules'
     * {@code CacheDirectory} asks the same of a cache directory: the launcher runs before any class of the nested jars
     * can be loaded, so it asks on its own.
     */
    private static boolean ownedByThisProcess(Path directory) {
        Integer uid = processUid();
        try {
            if (uid == null) {
                return Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
            }
            return uid.equals(Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** This process's user id, from procfs; null where there is none. */
    private static Integer processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException noProcfs) {
            return null;
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
