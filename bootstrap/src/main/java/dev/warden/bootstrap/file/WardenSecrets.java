package dev.warden.bootstrap.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files whose contents are Warden's secrets (the receipt log's signing key, the cache's MAC key), known by
 * the file system's identity of each (device and inode): whatever name a host opens one by (a symbolic link, a
 * hard link, {@code /proc/self/cwd/...}), it is the same file. An open for reading is decided even when reads
 * are not ({@code file-reads=false}) if it names one of them, and Warden refuses it whatever the policy says.
 * <p>
 * One way only: a host that adds a file here only has its own reads of that file refused.
 */
public final class WardenSecrets {

    private static final Set<Object> IDENTITIES = ConcurrentHashMap.newKeySet();
    /** Secrets not written yet (a log's first signing key), by name and by path: named as they are opened. */
    private static final Set<String> PENDING_NAMES = ConcurrentHashMap.newKeySet();
    private static final Set<String> PENDING_PATHS = ConcurrentHashMap.newKeySet();
    private static volatile boolean any;

    private WardenSecrets() {
    }

    /**
     * Makes {@code file} one of Warden's secrets: by its identity when it exists, else by its path until it does
     * (added again then, it is known by its identity too).
     */
    public static void add(Path file) {
        Object identity = identity(file);
        if (identity != null) {
            IDENTITIES.add(identity);
        } else if (file.getFileName() != null) {
            PENDING_NAMES.add(file.getFileName().toString());
            PENDING_PATHS.add(real(file));
        }
        any = true;
    }

    /** Whether {@code path} (as a host passed it: relative to the working directory, links followed) is a secret. */
    static boolean named(String path) {
        if (!any || path == null) {
            return false;
        }
        try {
            return named(Path.of(path));
        } catch (InvalidPathException notAPath) {
            return false; // the open fails on the same name
        }
    }

    static boolean named(Path path) {
        if (!any || path == null) {
            return false;
        }
        Object identity = identity(path);
        if (identity != null && IDENTITIES.contains(identity)) {
            return true;
        }
        Path name = path.getFileName();
        return name != null && PENDING_NAMES.contains(name.toString()) && PENDING_PATHS.contains(real(path));
    }

    /** The file's identity, or null: a file that is not there cannot be opened for reading either. */
    public static Object identity(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The path with its directory's links resolved (the file itself may not be there yet). */
    private static String real(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        try {
            return parent == null ? absolute.toString() : parent.toRealPath().resolve(absolute.getFileName()).toString();
        } catch (IOException | SecurityException e) {
            return absolute.toString();
        }
    }
}
