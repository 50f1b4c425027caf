package dev.warden.agent.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rules files below the rules directory that are symbolic links (a rule pack linked in from a shared place), each
 * a kept name of its own. The policy is read through them ({@code PolicyBundle} follows a rules file's link, not a
 * directory's), so where each leads sets the policy as much as the directory does; yet a write there is compared by
 * the path it leads to, outside the rules. A host whose policy let it write that place wrote a permit-all rule through
 * the link, and the watcher put it in force (a review, 2026-12-07). A link that leads nowhere yet is kept too: a
 * rules file the host created there would be read at the next look.
 * <p>
 * Listed again at every look of the control thread, before the watcher reads: a link the operator adds is Warden's
 * from the look that finds it. Until then its target is a file like any other: stage it where the host cannot write,
 * as a release.
 */
final class LinkedRuleFiles {

    /** A rules directory holds a handful; more than this is no deploy of rules, and the rest are not looked at. */
    static final int MOST_LINKS = 1024;

    private final KeptName rules;
    private volatile List<KeptName> links = List.of();

    LinkedRuleFiles(KeptName rules) {
        this.rules = rules;
        look();
    }

    /** The links found at the last look. */
    List<KeptName> names() {
        return links;
    }

    /** Lists the links below where the rules lead now; a directory that cannot be listed keeps what the last look found. */
    void look() {
        Path directory = Path.of(rules.now().path());
        if (!Files.isDirectory(directory)) {
            return;
        }
        List<KeptName> known = links;
        List<KeptName> found = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(directory)) { // as PolicyBundle reads: links to directories not followed
            paths.filter(path -> Files.isSymbolicLink(path) && isRuleFile(path)).limit(MOST_LINKS)
                    .forEach(link -> found.add(keep(known, link)));
        } catch (IOException | UncheckedIOException | SecurityException unreadable) {
            return;
        }
        if (!found.equals(known)) {
            links = List.copyOf(found);
        }
    }

    /** The name already kept for {@code link} (its resolution followed since), or a new one. */
    private static KeptName keep(List<KeptName> known, Path link) {
        Path absolute = link.toAbsolutePath();
        for (KeptName name : known) {
            if (name.name().equals(absolute)) {
                return name;
            }
        }
        return KeptName.of(absolute);
    }

    /** The names PolicyBundle reads. */
    private static boolean isRuleFile(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".drl") || name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".pem");
    }
}
