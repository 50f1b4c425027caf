package dev.warden.instrumentation.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether a path leads through {@code /proc/self} or {@code /proc/thread-self}, which name the process that reads
 * them: resolved here, they are this JVM's working directory, descriptors and executable, while the child that starts
 * the program (after changing to its own directory) reads its own. A program or jar named that way is not known
 * here (a review, 2026-12-06: {@code /proc/self/cwd/../../usr/bin/echo} was {@code /usr/bin/echo} here and bash in the
 * child). Links are followed one name at a time, as the kernel does, so {@code /dev/stdin} or a link of the agent's
 * to {@code /proc/self/cwd} count too.
 */
final class ProcSelf {

    private static final int MAX_LINKS = 40;
    private static final Path PROC_SELF = Path.of("/proc/self");
    private static final Path PROC_THREAD_SELF = Path.of("/proc/thread-self");

    private ProcSelf() {
    }

    /** @param absolute an absolute path, not normalised (a {@code ..} after a link leads from where the link led) */
    static boolean on(Path absolute) {
        Path current = absolute.getRoot();
        if (current == null) {
            return true; // not absolute: nothing to resolve it against, so unknown
        }
        Deque<String> remaining = new ArrayDeque<>();
        absolute.forEach(name -> remaining.addLast(name.toString()));
        int links = 0;
        while (!remaining.isEmpty()) {
            String name = remaining.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (next.startsWith(PROC_SELF) || next.startsWith(PROC_THREAD_SELF)) {
                return true;
            }
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    return true; // the kernel gives up too (ELOOP); whatever it is, it is not known here
                }
                Path target;
                try {
                    target = Files.readSymbolicLink(next);
                } catch (IOException | UnsupportedOperationException | SecurityException unreadable) {
                    return true;
                }
                Deque<String> expanded = new ArrayDeque<>();
                target.forEach(part -> expanded.addLast(part.toString()));
                while (!expanded.isEmpty()) {
                    remaining.addFirst(expanded.pollLast());
                }
                if (target.isAbsolute()) {
                    current = target.getRoot();
                }
                continue;
            }
            current = next;
        }
        return false;
    }
}
