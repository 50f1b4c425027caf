package dev.warden.agent.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A name Warden keeps something under (the rules, the receipts, the cache, a key), and where it leads now. The name
 * is the operator's and may go through symbolic links the operator retargets while the JVM runs (a {@code current}
 * link flipped to the next release): the rules' watcher reads, and the next start trusts, what the name leads to
 * then, not what it led to at start. So it is resolved as the kernel walks it (the file enricher's way: {@code ..}
 * after a link is the parent of the link's target), and again whenever a symbolic link on its way no longer holds
 * what it held: one {@code readlink} per link on the way, none for a name through no link ({@link #now}, what each
 * file decision looks at). A change that is no link's (a directory on the way renamed and a link put in its place,
 * outside the JVM) shows only in a walk in full, which costs a system call per component: Warden's control thread
 * walks in full a few times a second, and whatever reads by the name walks in full first ({@link #walk}).
 * <p>
 * Made absolute against the working directory the JVM started in (the JDK's default directory, which the file
 * enricher resolves against too), once: a relative name does not move with a later {@code chdir}.
 */
public final class KeptName {

    /** Linux gives up after 40 links (ELOOP); so does the walk. */
    private static final int MAX_LINKS = 40;

    /** A symbolic link on the way: its absolute name as the walk reached it, and what it held then. */
    record Link(String name, String target) {

        boolean unchanged() {
            try {
                return Files.readSymbolicLink(Path.of(name)).toString().equals(target);
            } catch (IOException | RuntimeException goneOrNoLink) {
                return false;
            }
        }
    }

    /** Where the name led when walked ({@code path}, a name that does not exist yet kept as written), and through which links. */
    record Resolution(String path, List<Link> links) {

        boolean unchanged() {
            for (Link link : links) {
                if (!link.unchanged()) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Path name;
    private volatile Resolution resolution;

    private KeptName(Path name) {
        this.name = name;
        this.resolution = resolve(name);
    }

    public static KeptName of(Path configured) {
        return new KeptName(configured.toAbsolutePath());
    }

    /** The name, absolute. */
    public Path name() {
        return name;
    }

    /** Where the name leads now, as the decisions see it. */
    public Path path() {
        return Path.of(now().path());
    }

    /**
     * Walks the name in full and publishes what it found before returning it: what is read there from now on is
     * protected from now on, whatever changed on the way.
     */
    public Path walk() {
        Resolution fresh = resolve(name);
        if (!fresh.equals(resolution)) {
            resolution = fresh;
        }
        return Path.of(fresh.path());
    }

    /** The resolution, walked again when a link on its way changed (concurrent walkers find the same). */
    Resolution now() {
        Resolution last = resolution;
        if (last.unchanged()) {
            return last;
        }
        Resolution fresh = resolve(name);
        resolution = fresh;
        return fresh;
    }

    /** The walk: component by component, each symbolic link replaced by its target, names that do not exist kept. */
    static Resolution resolve(Path absolute) {
        Deque<String> pending = new ArrayDeque<>();
        absolute.forEach(part -> pending.add(part.toString()));
        Path at = absolute.getRoot();
        List<Link> links = new ArrayList<>();
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                at = at.getParent() == null ? at : at.getParent();
                continue;
            }
            Path next = at.resolve(part);
            if (!Files.isSymbolicLink(next)) {
                at = next;
                continue;
            }
            Path through;
            try {
                through = Files.readSymbolicLink(next);
            } catch (IOException | RuntimeException unreadable) {
                through = null;
            }
            links.add(new Link(next.toString(), through == null ? "" : through.toString())); // "": no link holds it, walked again
            if (through == null || links.size() > MAX_LINKS) {
                at = next; // the kernel would not get past it either; the rest as written
                continue;
            }
            if (through.isAbsolute()) {
                at = through.getRoot();
            }
            List<String> parts = new ArrayList<>();
            through.forEach(element -> parts.add(element.toString()));
            for (int i = parts.size() - 1; i >= 0; i--) {
                pending.addFirst(parts.get(i));
            }
        }
        return new Resolution(at.toString(), List.copyOf(links));
    }
}
