package dev.warden.e2e;

import dev.warden.e2e.host.FileHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent whose tools read and write files by path, under a careless policy that permits every file action,
 * goes after what makes Warden's next start and its evidence trustworthy: it reads the signing key and the
 * cache's MAC key (by name, through a link to their directory, through a name java.io hands the kernel otherwise
 * than it reads, through a link that leads to the key only once a second link is made, through every read route,
 * with reads not gated), and plants a rule file, a cache entry and an
 * excerpt, copies the key out, links to it, deletes the public key and moves the receipts' parent away. Warden refuses each of them itself, in enforce and in shadow mode,
 * each with its receipt, and the disk (checked by the test, not the host) shows nothing planted, copied or
 * removed; the host's own work beside them goes on.
 */
class WardensOwnFilesEndToEndTest {

    private static final String PERMIT_EVERY_FILE_ACTION = """
            package rules.careless;

            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "the agent may do anything with files"
            when
                Action(surface == "file")
            then
                verdict.permit("files are the agent's business");
            end
            """;

    @TempDir
    Path workspace;

    @ParameterizedTest
    @ValueSource(strings = {"enforce", "shadow"})
    void noPolicyOrModeLetsAHostReadWardensKeysOrChangeWhatItKeeps(String mode) throws Exception {
        Path root = workspace.toRealPath();
        Path work = Files.createDirectories(root.resolve("work"));
        Path rules = Files.createDirectories(root.resolve("rules"));
        Files.writeString(rules.resolve("careless.drl"), PERMIT_EVERY_FILE_ACTION);
        Path cache = root.resolve("cache");
        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit")));
        Path signingKey = store.privateKey();
        String keyText = Files.readString(signingKey);
        Files.createSymbolicLink(work.resolve("key-directory"), signingKey.getParent());
        // What java.io hands the kernel for a lone surrogate: a link the agent's tool made, to the root.
        Files.createSymbolicLink(work.resolve("?"), Path.of("/"));
        Files.writeString(work.resolve("notes.txt"), "the agent's own notes\n");

        // A first start makes the cache and its key (and the receipts directory with its public key).
        HostJvm.Result first = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("cache=" + cache)
                .with("surfaces=file").with("mode=" + mode).run(FileHost.class, List.of("fos|" + work.resolve("first.txt")));
        assertThat(first.lines()).as(first.toString()).contains("OK step=0 result=done", "DONE");
        Path cacheKey = cache.resolve("cache.key");
        Path publicKey = store.directory().resolve("public-key.pem");
        assertThat(cacheKey).exists();
        assertThat(publicKey).exists();
        List<Path> cacheBefore = listing(cache);

        List<String> attacks = List.of(
                "read|" + signingKey,
                "fis|" + work.resolve("key-directory").resolve(signingKey.getFileName()),
                "raf-read|" + signingKey,
                "fis|" + work + "/{LONE}" + cacheKey,
                "fis|" + cacheKey,
                "copy|" + signingKey + "|" + work.resolve("stolen.pem"),
                "hardlink|" + work.resolve("another-key") + "|" + cacheKey,
                "symlink|" + work.resolve("queue-link") + "|" + store.directory().resolve("queue"),
                "files-write|" + rules.resolve("planted.drl"),
                "fos|" + cache.resolve("planted"),
                "newoutputstream|" + store.directory().resolve("queue").resolve("planted.cq4"),
                "files-delete|" + publicKey,
                "move|" + publicKey + "|" + work.resolve("moved.pem"),
                "fos|" + work + "/{LONE}" + rules.resolve("lone.drl"),
                "move|" + store.directory().getParent() + "|" + root.resolve("audit-moved"),
                "fis|" + work.resolve("a"),
                "fis|" + work.resolve("b"),
                // Through a SecureDirectoryStream of the host's working directory: openat and unlinkat relative to it.
                "sds-write|" + work + "|" + work.relativize(rules.resolve("sds-planted.drl")),
                "sds-delete|" + work + "|" + publicKey,
                "sds-read|" + signingKey.getParent() + "|" + signingKey.getFileName());
        // A link that leads nowhere yet, then one that makes it lead to the key: the first's name is watched.
        List<String> preparations = List.of(
                "symlink|" + work.resolve("a") + "|" + work.resolve("q").resolve(signingKey.getFileName()),
                "hardlink|" + work.resolve("b") + "|" + work.resolve("a"), // another name for the link itself
                "symlink|" + work.resolve("q") + "|" + signingKey.getParent());
        List<String> steps = new ArrayList<>(preparations);
        steps.addAll(attacks);
        steps.add("read|" + work.resolve("notes.txt"));
        steps.add("fos|" + work.resolve("second.txt"));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("cache=" + cache)
                .with("surfaces=file").with("mode=" + mode).run(FileHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.lines()).as(host.toString()).contains("OK step=0 result=done", "OK step=1 result=done",
                "OK step=2 result=done");
        for (int step = 0; step < attacks.size(); step++) {
            int index = preparations.size() + step;
            assertThat(host.lines()).as("%s: %s", attacks.get(step), host)
                    .anyMatch(line -> line.startsWith("REFUSED step=" + index + " ") && line.contains("warden.own-files"));
        }
        assertThat(host.lines()).as("the host's own work goes on").contains(
                "OK step=" + (steps.size() - 2) + " result=22", "OK step=" + (steps.size() - 1) + " result=done");
        assertThat(host.lines()).as("no key's content reached the host").noneMatch(line -> line.contains(keyText.strip()));

        // What is on disk, not what the host says.
        assertThat(work.resolve("stolen.pem")).doesNotExist();
        assertThat(work.resolve("another-key")).doesNotExist();
        assertThat(work.resolve("queue-link")).doesNotExist();
        assertThat(work.resolve("moved.pem")).doesNotExist();
        assertThat(rules.resolve("planted.drl")).doesNotExist();
        assertThat(rules.resolve("lone.drl")).doesNotExist();
        assertThat(rules.resolve("sds-planted.drl")).doesNotExist();
        assertThat(root.resolve("audit-moved")).doesNotExist();
        assertThat(store.directory().resolve("queue").resolve("planted.cq4")).doesNotExist();
        assertThat(publicKey).exists();
        List<Path> cacheAfter = listing(cache);
        List<String> added = cacheAfter.stream().filter(entry -> !cacheBefore.contains(entry))
                .map(entry -> entry.getFileName().toString()).toList();
        assertThat(cacheAfter).as("nothing planted in the cache").containsAll(cacheBefore);
        assertThat(added).as("but what Warden kept: the state at the host's first decision, and the host's classes"
                + " this warm start found no target while ByteBuddy was installed alongside main")
                .allMatch(name -> name.matches("state-[0-9a-f]{32}\\.state|early-[0-9a-f]{32}\\.passes"))
                .filteredOn(name -> name.startsWith("state-")).hasSize(1);
        assertThat(work.resolve("second.txt")).hasContent("written by the host");

        List<Receipt> refused = store.all().stream().filter(receipt -> receipt.rules().contains("warden.own-files")).toList();
        assertThat(refused).as("one receipt per attack").hasSize(attacks.size())
                .allSatisfy(receipt -> {
                    assertThat(receipt.outcome()).isEqualTo("DENY");
                    assertThat(receipt.enforced()).as("enforced in %s mode", mode).isTrue();
                });
        assertThat(refused).extracting(Receipt::operation).containsExactly("READ", "READ", "READ", "READ", "READ", "COPY",
                "LINK", "LINK", "WRITE", "WRITE", "WRITE", "DELETE", "MOVE", "WRITE", "MOVE", "READ", "READ", "WRITE", "DELETE", "READ");
        assertThat(store.verify().exitCode()).isZero();
    }

    private static List<Path> listing(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.map(Path::getFileName).sorted().toList();
        }
    }
}
