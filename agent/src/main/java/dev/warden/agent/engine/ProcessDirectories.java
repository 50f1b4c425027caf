package dev.warden.agent.engine;

import dev.warden.bootstrap.file.LinkWalk;
import dev.warden.bootstrap.file.ProcfsNames;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a path a child is told of leads into another process's open files as procfs shows them: its descriptors
 * ({@code /proc/<pid>/fd}, {@code map_files}), its working directory and root ({@code cwd}, {@code root}), the same
 * under each of its threads ({@code /proc/<pid>/task/<tid>/...}, {@code /proc/<tid>/...}), or a directory above them
 * ({@code /proc}, {@code /proc/<pid>}). Those names are links the kernel follows to the open file itself, not to a
 * path: {@code /proc/<jvm pid>/fd/<n>} is whatever this JVM has open as {@code n} when the child opens it, which a
 * decision made before cannot know, and a copy into {@code /proc/<jvm pid>/fd} writes through every descriptor it names
 * (a tenth review, 2026-12-07: {@code cp -t /proc/<pid>/fd <file named n>} under a policy permitting {@code cp}
 * overwrote the receipt log's open cycle file, which Warden refuses every host action). Another process's are
 * refused alike: which processes hold Warden's files cannot be told from a path.
 * <p>
 * A path through {@code /proc/self} or {@code /proc/thread-self} (or a link to them: {@code /dev/stdin},
 * {@code /dev/fd/2}) is the child's own, which it reads as itself: not one of these. Links are followed one name at a
 * time, as the kernel does, so a link the host made to {@code /proc/<pid>} counts.
 */
final class ProcessDirectories {

    private static final Path PROC_SELF = Path.of("/proc/self");
    private static final Path PROC_THREAD_SELF = Path.of("/proc/thread-self");
    /** The entries of a process's (or a thread's) directory that lead to its open files rather than to a path. */
    private static final Set<String> OPEN_FILES = Set.of("fd", "map_files", "cwd", "root");

    private ProcessDirectories() {
    }

    /**
     * @param absolute an absolute path as the child will walk it, not normalised
     * @return the procfs name it leads through ({@code /proc/4242/fd}), or null when it leads through none
     */
    static String through(String absolute) {
        if (!absolute.startsWith("/")) {
            return null;
        }
        Path path;
        try {
            path = Path.of(absolute);
        } catch (InvalidPathException notAPath) {
            return null;
        }
        // A link that cannot be followed, or links past the kernel's limit (ELOOP), lead the child nowhere.
        Optional<String> through = LinkWalk.walk(path,
                next -> next.equals(PROC_SELF) || next.equals(PROC_THREAD_SELF) ? Optional.<String>empty() // the child's own
                        : isOpenFiles(next.toString()) ? Optional.of(next.toString()) : null,
                Optional.empty(),
                end -> isAbove(end.toString()) ? Optional.of(end.toString()) : Optional.empty());
        return through.orElse(null);
    }

    /** {@code /proc/<n>/fd}, {@code /proc/<n>/task/<t>/cwd}, ...: a name the kernel follows to an open file. */
    private static boolean isOpenFiles(String path) {
        if (!path.startsWith("/proc/")) {
            return false;
        }
        String[] names = path.substring("/proc/".length()).split("/");
        return names.length == 2 && ProcfsNames.isId(names[0]) && OPEN_FILES.contains(names[1])
                || names.length == 4 && ProcfsNames.isId(names[0]) && names[1].equals("task") && ProcfsNames.isId(names[2]) && OPEN_FILES.contains(names[3]);
    }

    /** {@code /proc}, {@code /proc/<n>}, {@code /proc/<n>/task}, {@code /proc/<n>/task/<t>}: a copy into it reaches them. */
    private static boolean isAbove(String path) {
        if (path.equals("/proc")) {
            return true;
        }
        if (!path.startsWith("/proc/")) {
            return false;
        }
        String[] names = path.substring("/proc/".length()).split("/");
        return names.length == 1 && ProcfsNames.isId(names[0])
                || names.length == 2 && ProcfsNames.isId(names[0]) && names[1].equals("task")
                || names.length == 3 && ProcfsNames.isId(names[0]) && names[1].equals("task") && ProcfsNames.isId(names[2]);
    }
}
