package dev.warden.instrumentation.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where a path really leads, resolved the way the kernel walks it: component by component from the
 * root, {@code .} dropped, {@code ..} taking the parent of what has been resolved so far (not of what
 * was written: {@code dir/link/..} is the parent of the link's target), and every symbolic link on
 * the way replaced by its target. The last component is followed only when the operation follows it
 * (opening for write goes through a link, deleting or renaming acts on the link itself). Names that
 * do not exist yet are kept as written, so the description of a file about to be created is the
 * file it will be. The file enricher describes file actions with it, and Warden's own-files guard the paths a
 * process start names.
 *
 * @param path   the resolved absolute path, {@code /}-separated
 * @param exists whether something (a file, a directory, a link) is at the resolved path
 * @param links  how many symbolic links were followed
 * @param error  why the walk stopped early (a link loop, a path the kernel would refuse), or null;
 *               the path is then the best reading of what was written
 */
public record RealPath(String path, boolean exists, int links, String error) {

    public static final String UNDECODABLE = "a name on the way (or a link's target) is not text in the file system's encoding";

    /** Linux gives up after 40 links (ELOOP); so does the walk. */
    static final int MAX_LINKS = 40;
    /** PATH_MAX on Linux: the kernel refuses longer paths (ENAMETOOLONG) before it looks at the disk. */
    static final int MAX_LENGTH = 4096;

    public static RealPath resolve(String absolute, boolean followLast) {
        if (absolute.indexOf('\0') >= 0) {
            return new RealPath(lexical(absolute), false, 0, "path contains NUL");
        }
        if (absolute.length() > MAX_LENGTH) {
            return new RealPath(lexical(absolute), false, 0, "path longer than " + MAX_LENGTH + " characters");
        }
        Deque<String> pending = new ArrayDeque<>(components(absolute));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        boolean exists = true;
        while (!pending.isEmpty()) {
            String name = pending.pollFirst();
            if (name.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            resolved.add(name);
            boolean last = pending.isEmpty();
            Path candidate = toPath(resolved);
            if (candidate == null) {
                // The JDK cannot open it either, but a link on the way can no longer be followed: not guessed past.
                resolved.addAll(pending);
                return new RealPath(lexical(join(resolved)), false, links, UNDECODABLE);
            }
            if ((!last || followLast) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    resolved.addAll(pending);
                    return new RealPath(lexical(join(resolved)), false, links, "too many levels of symbolic links");
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException | RuntimeException unreadable) {
                    // A link there that cannot be read cannot be followed, and the kernel follows it: not guessed past.
                    resolved.addAll(pending);
                    return new RealPath(lexical(join(resolved)), false, links, "a symbolic link on the way could not be read");
                }
                if (undecodable(target)) {
                    resolved.addAll(pending);
                    return new RealPath(lexical(join(resolved)), false, links, UNDECODABLE);
                }
                resolved.remove(resolved.size() - 1);
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> through = components(target);
                for (int i = through.size() - 1; i >= 0; i--) {
                    pending.addFirst(through.get(i));
                }
                continue;
            }
            if (last) {
                exists = Files.exists(candidate, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
        return new RealPath(join(resolved), exists, links, null);
    }

    /**
     * Whether {@code name}, as Java read it from the file system, lost bytes: those that are not text in the file
     * system's encoding ({@code sun.jnu.encoding}; under {@code LC_ALL=C} every byte beyond ASCII) read as U+FFFD, a
     * name that leads elsewhere. A name that really holds U+FFFD is refused with them.
     */
    static boolean undecodable(String name) {
        return name.indexOf('\uFFFD') >= 0;
    }

    /** {@code ..} and {@code .} removed by name alone: for paths the walk cannot take. */
    public static String lexical(String absolute) {
        List<String> resolved = new ArrayList<>();
        for (String name : components(absolute)) {
            if (name.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
            } else {
                resolved.add(name);
            }
        }
        return join(resolved);
    }

    private static List<String> components(String path) {
        List<String> names = new ArrayList<>();
        for (String name : path.split("/")) {
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }

    private static String join(List<String> names) {
        return names.isEmpty() ? "/" : "/" + String.join("/", names);
    }

    /** The path, or null when it cannot be one on this file system (unmappable characters). */
    private static Path toPath(List<String> names) {
        try {
            return Path.of(join(names));
        } catch (InvalidPathException unmappable) {
            return null;
        }
    }
}
