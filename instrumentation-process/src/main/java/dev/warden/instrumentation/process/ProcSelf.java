package dev.warden.instrumentation.process;

import dev.warden.bootstrap.file.LinkWalk;

import java.nio.file.Path;

/**
 * Whether a path leads through {@code /proc/self} or {@code /proc/thread-self}, which name the process that reads
 * them: resolved here, they are this JVM's working directory, descriptors and executable, while the child that starts
 * the program (after changing to its own directory) reads its own. A program or jar named that way is not known
 * here (a review, 2026-12-06: {@code /proc/self/cwd/../../usr/bin/echo} was {@code /usr/bin/echo} here and bash in the
 * child). Links are followed one name at a time, as the kernel does, so {@code /dev/stdin} or a link of the agent's
 * to {@code /proc/self/cwd} count too.
 */
final class ProcSelf {

    private static final Path PROC_SELF = Path.of("/proc/self");
    private static final Path PROC_THREAD_SELF = Path.of("/proc/thread-self");

    private ProcSelf() {
    }

    /** @param absolute an absolute path, not normalised (a {@code ..} after a link leads from where the link led) */
    static boolean on(Path absolute) {
        if (absolute.getRoot() == null) {
            return true; // not absolute: nothing to resolve it against, so unknown
        }
        // A link that cannot be followed, or links past the kernel's limit: whatever it leads to is not known here.
        return LinkWalk.walk(absolute, next -> next.startsWith(PROC_SELF) || next.startsWith(PROC_THREAD_SELF) ? true : null,
                true, end -> false);
    }
}
