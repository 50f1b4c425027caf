package dev.warden.bootstrap.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Walks an absolute path as the kernel does when it opens it: one name at a time, a symbolic link replaced by its target
 * where it is met, and {@code ..} taken from where the walk has got to (after a link, from where the link led), not
 * from the text. Where a name leads is what matters to procfs, whose names are links the kernel follows to whatever the
 * reading process has open, so each name reached is shown to the caller before the walk goes on.
 */
public final class LinkWalk {

    /** The kernel's own limit on links followed in one lookup, past which it fails with {@code ELOOP}. */
    private static final int MAX_LINKS = 40;

    private LinkWalk() {
    }

    /**
     * @param absolute     an absolute path, not normalised
     * @param reached      asked of each name the walk reaches, before a link there is followed; an answer that is not
     *                     null ends the walk with it
     * @param unfollowable the answer when a link cannot be read, or links nest past the kernel's limit
     * @param end          the answer for the path the walk ends at, when {@code reached} gave none
     * @return the first of those answers
     */
    public static <R> R walk(Path absolute, Function<Path, R> reached, R unfollowable, Function<Path, R> end) {
        Path current = absolute.getRoot();
        Deque<Path> remaining = new ArrayDeque<>(); // names as paths: a name that is not text keeps its bytes
        absolute.forEach(remaining::addLast);
        int links = 0;
        while (!remaining.isEmpty()) {
            Path name = remaining.pollFirst();
            if (name.toString().equals(".")) {
                continue;
            }
            if (name.toString().equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            R answer = reached.apply(next);
            if (answer != null) {
                return answer;
            }
            if (Files.isSymbolicLink(next)) {
                Path target;
                try {
                    target = Files.readSymbolicLink(next);
                } catch (IOException | UnsupportedOperationException | SecurityException unreadable) {
                    return unfollowable;
                }
                if (++links > MAX_LINKS) {
                    return unfollowable;
                }
                Deque<Path> expanded = new ArrayDeque<>();
                target.forEach(expanded::addLast);
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
        return end.apply(current);
    }
}
