package dev.warden.receipts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files a writer holds open (its lock file, the cycle file it appends to) must still be the files at their
 * paths. A receipts directory deleted, moved away or replaced by a copy under a running JVM does not stop the writer:
 * Chronicle keeps appending to the file it mapped, which no longer has a name, so every receipt written after that is
 * lost when the JVM exits, while the gate still cites it (a review, 2026-12-07: two permitted inserts ran, a refusal
 * cited its receipt, and no receipt of them was anywhere). Compared by file key (device and inode): while the file is
 * held open its inode cannot be given to another file, so an equal key is the same file.
 */
final class HeldFiles {

    private record Held(Path path, Object key) {
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /**
     * Remembers the file at {@code path}, just opened by this writer, as {@code what} (replacing the one before), by its
     * real path: a deploy that flips a link on the way (receipts under {@code current/}) leaves the files where they are.
     */
    void hold(String what, Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException | RuntimeException e) {
            real = path; // looked at again by misplaced(), which names what is wrong with it
        }
        held.put(what, new Held(real, key(real)));
    }

    /**
     * Why the writer's files are no longer at their paths, or null when each still is. Asks the file system once per
     * file held (a {@code stat}): for a sampling thread, never the appending one.
     */
    String misplaced() {
        for (Map.Entry<String, Held> each : held.entrySet()) {
            Held h = each.getValue();
            Object now;
            try {
                now = Files.readAttributes(h.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            } catch (NoSuchFileException gone) {
                return each.getKey() + " " + h.path() + " is gone (deleted, or its directory deleted or moved away)";
            } catch (IOException | RuntimeException e) {
                return each.getKey() + " " + h.path() + " cannot be looked at (" + e + ")";
            }
            if (h.key() != null && !h.key().equals(now)) {
                return each.getKey() + " " + h.path() + " is another file than the one written to (replaced)";
            }
        }
        return null;
    }

    private static Object key(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | RuntimeException e) {
            return null; // looked at again by misplaced(), which names what is wrong with it
        }
    }
}
