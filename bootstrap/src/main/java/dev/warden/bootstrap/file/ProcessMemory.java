package dev.warden.bootstrap.file;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A process's memory as Linux shows it: {@code /proc/<pid>/mem}, and the same memory under each of its threads' names
 * ({@code /proc/<pid>/task/<tid>/mem}, {@code /proc/<tid>/mem}; {@code /proc/self} and {@code /proc/thread-self} are
 * links to them). No ptrace rule keeps a process from its own memory, and at the addresses {@code /proc/self/maps}
 * lists it holds the heap: every key Warden holds, as a heap dump does (a ninth review, 2026-12-07: host code read the
 * control key there and switched Warden to shadow). Another process's is refused alike: another JVM under Warden may
 * hold the same signing key, and which processes hold Warden's keys cannot be told from a path; reading or writing
 * another process's memory is attaching to it. So each is one of {@link WardenSecrets}: opened by no host action, for
 * reading or writing (a write would change Warden's code and state in place).
 * <p>
 * Procfs gives these files no stable identity (an inode is made afresh when the kernel forgets the entry), so they are
 * told by their real path.
 */
public final class ProcessMemory {

    /** The last name of every such file: reads by it are looked at ({@link WardenSecrets}). */
    public static final String NAME = "mem";

    private ProcessMemory() {
    }

    /** Whether {@code realPath} (absolute, {@code .}, {@code ..} and links resolved) is a process's or a thread's memory. */
    public static boolean isMemory(String realPath) {
        if (realPath == null || !realPath.startsWith("/proc/") || !realPath.endsWith("/" + NAME)) {
            return false;
        }
        String[] names = realPath.substring("/proc/".length(), realPath.length() - NAME.length() - 1).split("/", -1);
        return names.length == 1 && ProcfsNames.isId(names[0])
                || names.length == 3 && ProcfsNames.isId(names[0]) && names[1].equals("task") && ProcfsNames.isId(names[2]);
    }

    /** Whether {@code path}, as the kernel will walk it, opens a process's memory; false when it leads nowhere. */
    static boolean opens(Path path) {
        try {
            return isMemory(path.toRealPath().toString());
        } catch (IOException | SecurityException | InvalidPathException | UnsupportedOperationException nowhere) {
            return false;
        }
    }
}
