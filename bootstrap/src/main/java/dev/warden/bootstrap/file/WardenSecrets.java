package dev.warden.bootstrap.file;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files whose contents are Warden's secrets (the receipt log's signing keys, the cache's MAC key). An open for
 * reading is decided even when reads are not ({@code file-reads=false}) if it opens one of them, and Warden refuses
 * it whatever the policy says (the engine's {@code OwnFiles}).
 * <p>
 * Reads that are not decided happen all the time, in the middle of class loading too (every jar a loader opens),
 * so the test here costs a comparison of the name's last component with the secrets' names and nothing else: no
 * file system call, no class to load. Only a name that matches is looked at on disk, and counts when it is the very
 * file (device and inode: {@code /proc/self/cwd/...} or a link to the key's directory is the key). A symbolic link
 * could lead to a key under another name, today or once what it names is made to: so every name a host gives a
 * link (a {@code LINK}, or a move or copy of a symbolic link, which are decided) is watched too ({@link #watch}).
 * <p>
 * One way only: a host that adds a file here only has its own reads of that file decided.
 */
public final class WardenSecrets {

    /** How many names a host's symbolic links may add to the keys' before it may make no more ({@link #watch}). */
    public static final int MOST_WATCHED = 65_536;

    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
    private static final Set<Object> IDENTITIES = ConcurrentHashMap.newKeySet();
    /** Secrets not written yet (a log's first signing key), by their path: known by identity once added again. */
    private static final Set<String> PENDING = ConcurrentHashMap.newKeySet();
    /**
     * Secrets HotSpot numbers after the first (a heap dump's {@code NAME.1}, {@code NAME.2}, ...: every dump after the
     * first, by a full GC or an {@code OutOfMemoryError}), by the first's path with its directory's links resolved.
     */
    private static final Set<String> NUMBERED = ConcurrentHashMap.newKeySet();
    private static final Set<String> NUMBERED_NAMES = ConcurrentHashMap.newKeySet();

    private WardenSecrets() {
    }

    /** Makes {@code file} one of Warden's secrets: by its identity when it exists, else by its path until it does. */
    public static void add(Path file) {
        JavaIoNames.asOpened(""); // initialised here, on Warden's thread, not in the middle of a host's read
        Path name = file.getFileName();
        if (name == null) {
            return;
        }
        Object identity = identity(file);
        if (identity != null) {
            IDENTITIES.add(identity);
        } else {
            PENDING.add(real(file));
        }
        NAMES.add(name.toString());
    }

    /** Makes the processes' memory ({@link ProcessMemory}), this JVM's with every key in it, one of Warden's secrets. */
    public static void addProcessMemory() {
        JavaIoNames.asOpened("");
        ProcessMemory.isMemory(""); // initialised here, on Warden's thread, not in the middle of a host's read
        NAMES.add(ProcessMemory.NAME);
    }

    /** Makes {@code file} one of Warden's secrets, and every name HotSpot numbers after it ({@code file.N}). */
    public static void addNumbered(Path file) {
        add(file);
        Path name = file.getFileName();
        if (name != null) {
            NUMBERED.add(real(file));
            NUMBERED_NAMES.add(name.toString());
        }
    }

    /** Whether {@code path} (absolute, links in its directory followed) is a numbered one of {@link #addNumbered}'s. */
    public static boolean isNumbered(String path) {
        if (NUMBERED.isEmpty() || path == null) {
            return false;
        }
        String last = lastComponent(path);
        int dot = last.lastIndexOf('.');
        if (dot <= 0 || dot == last.length() - 1) {
            return false;
        }
        for (int i = dot + 1; i < last.length(); i++) {
            if (last.charAt(i) < '0' || last.charAt(i) > '9') {
                return false;
            }
        }
        String first = last.substring(0, dot);
        if (!NUMBERED_NAMES.contains(first)) {
            return false;
        }
        try {
            Path parent = Path.of(path).toAbsolutePath().getParent();
            return parent != null && NUMBERED.contains(real(parent.resolve(first)));
        } catch (InvalidPathException notAPath) {
            return true; // a secret's name the file system will not take as given: decided, not waved through
        }
    }

    /**
     * Reads by {@code name} (a symbolic link's, as the host gave it) are looked at from now on.
     *
     * @return false when too many names are watched already: the link must not be made
     */
    public static boolean watch(String name) {
        if (NAMES.contains(name)) {
            return true;
        }
        if (NAMES.size() >= MOST_WATCHED) {
            return false;
        }
        NAMES.add(name);
        return true;
    }

    /** The last name of a path as a host wrote it ({@code /}-separated, or the platform's separator). */
    public static String lastComponent(String name) {
        int end = name.length();
        while (end > 1 && (name.charAt(end - 1) == '/' || name.charAt(end - 1) == File.separatorChar)) {
            end--;
        }
        int start = Math.max(name.lastIndexOf('/', end - 1), name.lastIndexOf(File.separatorChar, end - 1)) + 1;
        return name.substring(start, end);
    }

    /** Whether a {@code java.io} name (relative to the working directory, links followed) opens a secret. */
    static boolean named(String javaIoName) {
        if (javaIoName == null || NAMES.isEmpty()) {
            return false;
        }
        String opened = JavaIoNames.asOpened(javaIoName);
        // Looked at where the kernel will open it: a relative name from the process's directory, not user.dir's.
        return NAMES.contains(lastComponent(opened)) && isSecret(JavaIoNames.absolute(opened))
                || !NUMBERED.isEmpty() && isNumbered(JavaIoNames.absolute(opened));
    }

    /** Whether an NIO path's text (of the default file system) opens a secret. */
    static boolean namedByPath(String pathText) {
        return pathText != null && (NAMES.contains(lastComponent(pathText)) && isSecret(pathText)
                || !NUMBERED.isEmpty() && isNumbered(pathText));
    }

    /** The file's identity, or null: a file that is not there cannot be opened for reading either. */
    public static Object identity(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean isSecret(String name) {
        try {
            Path path = Path.of(name);
            Object identity = identity(path);
            return identity != null && IDENTITIES.contains(identity) || !PENDING.isEmpty() && PENDING.contains(real(path))
                    || NAMES.contains(ProcessMemory.NAME) && ProcessMemory.opens(path);
        } catch (InvalidPathException notAPath) {
            return true; // a secret's name the file system will not take as given: decided, not waved through
        }
    }

    /** The path with its directory's links resolved (the file itself may not be there yet). */
    private static String real(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        try {
            return parent == null ? absolute.toString() : parent.toRealPath().resolve(absolute.getFileName()).toString();
        } catch (IOException | SecurityException notThere) {
            return absolute.toString();
        }
    }
}
