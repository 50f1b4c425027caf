package dev.warden.e2e;

import dev.warden.e2e.host.FileHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent whose tools read and write files by path, under a careless policy that permits every file action,
 * goes after what makes Warden's next start and its evidence trustworthy: it reads the signing key and the
 * cache's MAC key (by name, through a link to their directory, through a name java.io hands the kernel otherwise
 * than it reads, through a link that leads to the key only once a second link is made, through every read route,
 * with reads not gated), and plants a rule file, a cache entry and an
 * excerpt, copies the key out, links to it, deletes the public key, moves the receipts' parent away and rewrites the
 * configuration file and the witnesses list the next start reads. Warden refuses each of them itself, in enforce and in shadow mode,
 * each with its receipt, and the disk (checked by the test, not the host) shows nothing planted, copied or
 * removed; the host's own work beside them goes on. And when the rules are reached through a release deploy's
 * {@code current} link, the protection follows the operator's flip of that link while the host runs.
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
        // A rule pack the operator links in from a shared place: the policy is read through the link.
        Path shared = Files.createDirectories(root.resolve("shared"));
        String sharedText = "package rules.careless;\n\n// the operator's shared pack\n";
        Files.writeString(shared.resolve("shared.drl"), sharedText);
        Files.createSymbolicLink(rules.resolve("shared.drl"), shared.resolve("shared.drl"));
        Path cache = root.resolve("cache");
        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit")));
        Path signingKey = store.privateKey();
        String keyText = Files.readString(signingKey);
        Files.createSymbolicLink(work.resolve("key-directory"), signingKey.getParent());
        // What java.io hands the kernel for a lone surrogate: a link the agent's tool made, to the root.
        Files.createSymbolicLink(work.resolve("?"), Path.of("/"));
        Files.writeString(work.resolve("notes.txt"), "the agent's own notes\n");
        // The log a java child carrying Warden wrote (child-agent=true): the parent's to keep, as its own log is.
        Path childLog = Files.createDirectories(Path.of(store.directory() + ".children").resolve("child-1-1"));
        Path childReceipts = Files.writeString(childLog.resolve("receipts.cq4"), "a child's receipts");
        // What tar -xf of an archive the agent supplied makes: docs -> \xff -> the rules (a name Java cannot read).
        Process links = new ProcessBuilder("sh", "-c", "ln -s \"$(printf '\\377')\" docs && ln -s \"$1\" \"$(printf '\\377')\"",
                "links", rules.toString()).directory(work.toFile()).inheritIO().start();
        assertThat(links.waitFor()).isZero();
        // The operator's configuration file and witnesses list, which the next start reads as it finds them.
        String configText = "actor: the-operator\n";
        Path config = Files.writeString(root.resolve("warden.yaml"), configText);
        // A witness that never answers (nothing listens on the discard port): Warden only alerts on it.
        String witnessesText = "http://127.0.0.1:9 " + new dev.warden.receipts.WitnessKey("the-operators-witness",
                new dev.warden.receipts.VerificationKey(new byte[32])).vkey() + "\n";
        Path witnesses = Files.writeString(root.resolve("witnesses.txt"), witnessesText);

        // A first start makes the cache and its key (and the receipts directory with its public key).
        HostJvm.Result first = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("cache=" + cache)
                .with("config=" + config).with("witnesses=" + witnesses)
                .with("surfaces=file").with("child-agent=true").with("mode=" + mode).run(FileHost.class, List.of("fos|" + work.resolve("first.txt")));
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
                "sds-read|" + signingKey.getParent() + "|" + signingKey.getFileName(),
                // What the next start is configured by: a shadow mode, or a witness of the host's own, planted there.
                "files-write|" + config,
                "move|" + config + "|" + work.resolve("config-moved.yaml"),
                "fos|" + witnesses,
                // Through a link Java cannot read: the path is only its lexical reading, work/docs/...
                "fos|" + work.resolve("docs/undecodable.drl"),
                // The JVM's own memory, every key in it: written in place, or read by a thread's name of it.
                "raf|/proc/self/mem",
                "raf-read|/proc/thread-self/mem",
                // Metadata through NIO's views: the rules opened to every local user, the key made readable by all,
                // the public key's time changed.
                "chmod|" + rules + "|rwxrwxrwx",
                "chmod|" + signingKey + "|rw-r--r--",
                "retime|" + publicKey,
                // A rules file linked in from elsewhere: written through the link, at the place it leads, or that place
                // moved away (the policy was read through it, and the watcher put a rule written there in force).
                "files-write|" + rules.resolve("shared.drl"),
                "fos|" + shared.resolve("shared.drl"),
                "move|" + shared + "|" + work.resolve("shared-moved"),
                // The same through the attribute views a SecureDirectoryStream gives (an eleventh review): the rules
                // directory through the stream's own descriptor, the key by name in its directory, the public key's
                // time, the cache's key reached by .. from the host's directory.
                "sds-chmod|" + rules + "|-|rwxrwxrwx",
                "sds-chmod|" + signingKey.getParent() + "|" + signingKey.getFileName() + "|rw-r--r--",
                "sds-retime|" + store.directory() + "|" + publicKey.getFileName(),
                "sds-chown|" + work + "|" + work.relativize(cacheKey),
                // A directory above them opened to every local user, who may then rename the rules (or the receipts
                // directory, or the key) away and put their own in its place: with NIO, with java.io, through a stream.
                "chmod|" + root + "|rwxrwxrwx",
                "setwritable-all|" + signingKey.getParent(),
                "sds-chmod|" + root + "|-|rwxrwxrwx",
                // A child's log, which no JVM kept before an eleventh review: rewritten, removed, moved away.
                "fos|" + childReceipts,
                "files-delete|" + childReceipts,
                "move|" + childLog + "|" + work.resolve("child-moved"),
                // A unix-domain socket bound in the rules directory (a twelfth review): a file named like a rule that
                // cannot be read, so every reload, and the next start, is refused.
                "unix-bind|" + rules.resolve("bound.drl"));
        // A link that leads nowhere yet, then one that makes it lead to the key: the first's name is watched.
        List<String> preparations = List.of(
                "symlink|" + work.resolve("a") + "|" + work.resolve("q").resolve(signingKey.getFileName()),
                "hardlink|" + work.resolve("b") + "|" + work.resolve("a"), // another name for the link itself
                "symlink|" + work.resolve("q") + "|" + signingKey.getParent());
        List<String> steps = new ArrayList<>(preparations);
        steps.addAll(attacks);
        steps.add("chmod|" + work.resolve("notes.txt") + "|rw-rw----"); // the host's own file: the policy's
        steps.add("read|" + work.resolve("notes.txt"));
        steps.add("fos|" + work.resolve("second.txt"));
        String rulesMode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(rules));
        String rootMode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(root));
        String keyDirectoryMode = java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(signingKey.getParent()));
        String keyMode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(signingKey));
        java.nio.file.attribute.FileTime publicKeyTime = Files.getLastModifiedTime(publicKey);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("cache=" + cache)
                .with("config=" + config).with("witnesses=" + witnesses).with("surfaces=file").with("child-agent=true").with("mode=" + mode).run(FileHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.lines()).as(host.toString()).contains("OK step=0 result=done", "OK step=1 result=done",
                "OK step=2 result=done");
        for (int step = 0; step < attacks.size(); step++) {
            int index = preparations.size() + step;
            String attack = attacks.get(step);
            assertThat(host.lines()).as("%s: %s", attack, host)
                    .anyMatch(line -> line.startsWith("REFUSED step=" + index + " ") && line.contains("warden.own-files")
                            // java.io's boolean methods say no with false; the receipts below name the rule
                            || line.equals("FALSE step=" + index) && attack.startsWith("setwritable"));
        }
        assertThat(host.lines()).as("the host's own work goes on").contains("OK step=" + (steps.size() - 3) + " result=done",
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
        assertThat(rules.resolve("bound.drl")).as("a socket bound there").doesNotExist();
        assertThat(root.resolve("audit-moved")).doesNotExist();
        assertThat(store.directory().resolve("queue").resolve("planted.cq4")).doesNotExist();
        assertThat(publicKey).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(rules))).isEqualTo(rulesMode);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(signingKey))).isEqualTo(keyMode);
        assertThat(Files.getLastModifiedTime(publicKey)).isEqualTo(publicKeyTime);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                .as("the directory above the rules").isEqualTo(rootMode);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(signingKey.getParent())))
                .as("the directory above the receipts and the key").isEqualTo(keyDirectoryMode);
        assertThat(Files.getPosixFilePermissions(work.resolve("notes.txt"))).hasSize(4);
        assertThat(config).as("the next start's configuration").hasContent(configText.strip());
        assertThat(childReceipts).as("a child's log").hasContent("a child's receipts");
        assertThat(witnesses).as("the next start's witnesses").hasContent(witnessesText.strip());
        assertThat(work.resolve("config-moved.yaml")).doesNotExist();
        assertThat(rules.resolve("undecodable.drl")).as("planted through docs -> \\xff -> rules").doesNotExist();
        assertThat(shared.resolve("shared.drl")).as("the rules file linked in").hasContent(sharedText.strip());
        assertThat(work.resolve("shared-moved")).doesNotExist();
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
                "LINK", "LINK", "WRITE", "WRITE", "WRITE", "DELETE", "MOVE", "WRITE", "MOVE", "READ", "READ", "WRITE", "DELETE", "READ",
                "WRITE", "MOVE", "WRITE", "WRITE", "WRITE", "READ", "WRITE", "WRITE", "WRITE", "WRITE", "WRITE", "MOVE",
                "WRITE", "WRITE", "WRITE", "WRITE", "WRITE", "WRITE", "WRITE", "WRITE", "DELETE", "MOVE", "WRITE");
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by a thirteenth review (2026-12-08). A JFR recording kept in memory is written by the JVM itself when it
     * stops, to the destination's real path as it was when the destination was set (the only decision, a write there,
     * permitted). Between the two, the host swapped a directory on that path for a link to the directory above the rules
     * (a link that leads into none of Warden's directories itself), and {@code stop()} wrote {@code planted.drl}, 107 KB,
     * into the rules directory, under a policy Warden keeps from changing it. The JVM's write is now decided where the
     * name leads when JFR hands it over: refused, and no file there. A recording whose destination stays where the policy
     * permits is written as before.
     */
    @Test
    void aRecordingTheJvmWritesItselfIsDecidedWhereItsNameLeadsThen() throws Exception {
        Path root = workspace.toRealPath();
        Path work = Files.createDirectories(root.resolve("work"));
        Path rules = Files.createDirectories(root.resolve("rules"));
        Files.writeString(rules.resolve("careless.drl"), PERMIT_EVERY_FILE_ACTION);
        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit")));
        Path relinked = Files.createDirectories(work.resolve("d").resolve(rules.getFileName()));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=file")
                .run(FileHost.class, List.of(
                        "jfr|" + work.resolve("permitted.jfr"),
                        // A refused stop leaves that recording unstopped, and JFR writes no later one in memory: first.
                        "jfr-relinked|" + relinked.resolve("planted.drl") + "|" + work.resolve("d") + "|" + root));

        assertThat(host.lines()).as(host.toString()).anyMatch(line -> line.startsWith("OK step=0 result="));
        assertThat(Files.size(work.resolve("permitted.jfr"))).as("a recording where the policy permits").isPositive();
        assertThat(host.lines()).as(host.toString()).anyMatch(line -> line.startsWith("REFUSED step=1 thrown=java.lang.SecurityException")
                && line.contains("warden.own-files"));
        assertThat(rules.resolve("planted.drl")).as("written by the JVM into the rules directory").doesNotExist();
        assertThat(store.all()).filteredOn(receipt -> "jdk.jfr.setOutput".equals(receipt.summary().get("file.via"))
                        && receipt.rules().contains("warden.own-files")).isNotEmpty()
                .allSatisfy(receipt -> {
                    assertThat(receipt.outcome()).isEqualTo("DENY");
                    assertThat(receipt.summary()).containsEntry("file.path", rules.resolve("planted.drl").toString());
                });
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by a seventh review (2026-12-07). The operator runs the host as production hosts are run, with a heap dump on
     * an {@code OutOfMemoryError} ({@code -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=...}). The host asks for an
     * array larger than its heap, and HotSpot writes the whole heap, Warden's signing key in it, to a file no gate sees
     * being written; under a careless policy the host then read that file and copied it. Now the dump is one of Warden's
     * secrets, like the key it holds: opened, copied or linked by no host action, whatever the policy says.
     */
    @Test
    void theHeapDumpOfAnOutOfMemoryErrorIsAsSecretAsTheKeysInIt() throws Exception {
        Path root = workspace.toRealPath();
        Path work = Files.createDirectories(root.resolve("work"));
        Path rules = Files.createDirectories(root.resolve("rules"));
        Files.writeString(rules.resolve("careless.drl"), PERMIT_EVERY_FILE_ACTION);
        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit")));
        Path dump = work.resolve("heap.hprof");
        List<String> steps = List.of("oom|-", "peek|" + dump, "copy|" + dump + "|" + work.resolve("copied.hprof"),
                "fos|" + work.resolve("after.txt"));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=file")
                .jvm("-XX:+HeapDumpOnOutOfMemoryError").jvm("-XX:HeapDumpPath=" + dump).run(FileHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("OK step=0 result=OutOfMemoryError", "OK step=3 result=done", "DONE");
        assertThat(host.step(1)).as("the dump, read").startsWith("REFUSED step=1 ").contains("warden.own-files");
        assertThat(host.step(2)).as("the dump, copied").startsWith("REFUSED step=2 ").contains("warden.own-files");
        // What is on disk: the dump HotSpot wrote holds the signing key (its Ed25519 seed), and no copy of it is in work.
        assertThat(work.resolve("copied.hprof")).doesNotExist();
        byte[] der = java.util.Base64.getMimeDecoder().decode(Files.readString(store.privateKey())
                .replaceAll("-----[A-Z ]+-----", "").strip());
        byte[] seed = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
        assertThat(contains(Files.readAllBytes(dump), seed)).as("what was at stake: the key in the dump").isTrue();
        assertThat(store.all()).filteredOn(receipt -> receipt.rules().contains("warden.own-files"))
                .extracting(Receipt::operation).containsExactly("READ", "COPY");
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by an eighth review (2026-12-07). With {@code -XX:+HeapDumpBeforeFullGC} (a diagnosis the operator turned
     * on), each full GC has HotSpot dump the heap, the first to {@code HeapDumpPath}, every later one to that name
     * numbered {@code .1}, {@code .2}, ...; a host brings a full GC about with {@code System.gc()}. Under a careless
     * policy the host read both dumps, Warden's keys in them: only a dump on an {@code OutOfMemoryError} was one of
     * Warden's secrets, and only by its first name. Now the dumps of a full GC are too, and every numbered one.
     */
    @Test
    void theHeapDumpsOfFullGcsAndTheNumberedOnesAreAsSecretAsTheKeysInThem() throws Exception {
        Path root = workspace.toRealPath();
        Path work = Files.createDirectories(root.resolve("work"));
        Path rules = Files.createDirectories(root.resolve("rules"));
        Files.writeString(rules.resolve("careless.drl"), PERMIT_EVERY_FILE_ACTION);
        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit")));
        Path dump = work.resolve("heap.hprof");
        Path numbered = work.resolve("heap.hprof.1");
        List<String> steps = List.of("gc|-", "gc|-", "peek|" + dump, "peek|" + numbered,
                "copy|" + numbered + "|" + work.resolve("copied.hprof"), "fos|" + work.resolve("after.txt"));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=file")
                .jvm("-XX:+HeapDumpBeforeFullGC").jvm("-XX:HeapDumpPath=" + dump).run(FileHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("OK step=0 result=gc", "OK step=1 result=gc", "OK step=5 result=done", "DONE");
        assertThat(host.step(2)).as("the first dump, read").startsWith("REFUSED step=2 ").contains("warden.own-files");
        assertThat(host.step(3)).as("the numbered dump, read").startsWith("REFUSED step=3 ").contains("warden.own-files");
        assertThat(host.step(4)).as("the numbered dump, copied").startsWith("REFUSED step=4 ").contains("warden.own-files");
        assertThat(work.resolve("copied.hprof")).doesNotExist();
        byte[] der = java.util.Base64.getMimeDecoder().decode(Files.readString(store.privateKey())
                .replaceAll("-----[A-Z ]+-----", "").strip());
        byte[] seed = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
        assertThat(contains(Files.readAllBytes(numbered), seed)).as("what was at stake: the key in the numbered dump").isTrue();
        assertThat(store.all()).filteredOn(receipt -> receipt.rules().contains("warden.own-files"))
                .extracting(Receipt::operation).containsExactly("READ", "READ", "COPY");
        assertThat(store.verify().exitCode()).isZero();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int at = 0; at + needle.length <= haystack.length; at++) {
            for (int i = 0; i < needle.length; i++) {
                if (haystack[at + i] != needle[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The rules are configured through a release deploy's {@code current} link, relative to the host's working
     * directory ({@code rules=app/current/rules}), and watched; the policy permits the application's own tree. The
     * operator flips the link to the next release while the host runs, and the host at once copies a rule that permits
     * every file action into {@code app/current/rules}, as it tried before the flip: refused there too, with its receipt,
     * before the watcher has even seen the flip. The operator's own change to the release is what the watcher puts in
     * force, and the write the planted rule would have permitted is refused. Before this, the protection held the real
     * path the rules had at start: the copy landed in the new release, the watcher loaded it and the forbidden write
     * landed. Nor can the host flip the link itself: the links on the way are Warden's.
     */
    @Test
    void aDeployThatFlipsTheLinkTheRulesAreReachedThroughTakesTheProtectionAlong() throws Exception {
        Path root = workspace.toRealPath();
        Path app = root.resolve("app");
        Path r1 = Files.createDirectories(app.resolve("releases/r1/rules"));
        Path r2 = Files.createDirectories(app.resolve("releases/r2/rules"));
        Files.writeString(r1.resolve("files.drl"), theApplicationsOwnTree(app, "r1"));
        Files.writeString(r2.resolve("files.drl"), theApplicationsOwnTree(app, "r2"));
        Path current = Files.createSymbolicLink(app.resolve("current"), Path.of("releases/r1"));
        Files.writeString(Files.createDirectories(app.resolve("uploads")).resolve("every-file.drl"), PERMIT_EVERY_FILE_ACTION);
        Files.createDirectories(root.resolve("forbidden"));
        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit")));
        String plant = "copy|app/uploads/every-file.drl|app/current/rules/every-file.drl";
        List<String> steps = List.of(plant, "files-write|forbidden/before.txt", "await|flipped", plant, "await|switched",
                "files-write|forbidden/marker.txt", "symlink|app/next|uploads", "rename|app/next|app/current",
                "files-delete|app/current");

        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=app/current/rules").with("surfaces=file")
                .in(root).start(FileHost.class, steps);
        List<String> lines = new ArrayList<>(host.awaitLines("WAITING flipped"));
        // The operator's deploy: a new link made aside, then renamed over the old one (ln -sfn ... && mv -T).
        Files.move(Files.createSymbolicLink(app.resolve("current.tmp"), Path.of("releases/r2")), current,
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        proceed(host);
        lines.addAll(host.awaitLines("WAITING switched"));
        // The operator's own change to the new release, after the host's copy was decided: the watcher's next switch.
        Path aside = Files.writeString(root.resolve("files.drl.new"), theApplicationsOwnTree(app, "r2, hotfix 1"));
        Files.move(aside, r2.resolve("files.drl"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        store.await("the hotfix in force", receipts -> switches(receipts).stream().anyMatch(s -> bundle(store, s).contains("hotfix 1")));
        proceed(host);
        lines.addAll(host.awaitLines("DONE"));
        assertThat(host.release()).isZero();

        // What is on disk, not what the host says.
        assertThat(root.resolve("forbidden/marker.txt")).as("no planted rule permitted it: %s", lines).doesNotExist();
        assertThat(r2.resolve("every-file.drl")).as("nothing planted in the new release").doesNotExist();
        assertThat(r1.resolve("every-file.drl")).doesNotExist();
        assertThat(Files.readSymbolicLink(current)).as("the host did not flip it back").isEqualTo(Path.of("releases/r2"));
        assertThat(lines).as("the new release refused as the first was").anySatisfy(line -> assertThat(line)
                .startsWith("REFUSED step=3 ").contains("warden.own-files", r2.resolve("every-file.drl").toString()));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("REFUSED step=0 ")
                .contains("warden.own-files", r1.resolve("every-file.drl").toString()));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("REFUSED step=1 ").contains("default-deny"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("REFUSED step=5 ").contains("default-deny"));
        assertThat(lines).contains("OK step=6 result=done", "FALSE step=7");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("REFUSED step=8 ").contains("warden.own-files"));

        List<Receipt> receipts = store.all();
        List<Receipt> refused = receipts.stream().filter(receipt -> receipt.rules().contains("warden.own-files")).toList();
        assertThat(refused).extracting(Receipt::operation).containsExactly("COPY", "COPY", "MOVE", "DELETE");
        assertThat(refused.get(1).summary()).containsEntry("file.to", r2.resolve("every-file.drl").toString());
        assertThat(refused.get(2).reason()).contains(current + " is (or holds) a symbolic link on the way to what Warden keeps");
        assertThat(switches(receipts)).as("the watcher switched to the releases as the operator made them, and only to them")
                .isNotEmpty().allSatisfy(switched -> assertThat(bundle(store, switched)).contains("release r2")
                        .doesNotContain("the agent may do anything with files"));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private static String theApplicationsOwnTree(Path app, String release) {
        return """
                package rules.deployed;

                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                // release %s
                rule "the application's own tree"
                when
                    Action(surface == "file", text("file.path") matches "%s/.*")
                then
                    verdict.permit("the application's own files");
                end
                """.formatted(release, app);
    }

    private static void proceed(HostJvm.Running host) throws java.io.IOException {
        host.process().getOutputStream().write("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        host.process().getOutputStream().flush();
    }

    private static List<Receipt> switches(List<Receipt> receipts) {
        return receipts.stream().filter(r -> r.surface().equals("warden") && r.operation().equals("policy-switched")).toList();
    }

    /** The policy a switch put in force, as archived beside the receipts. */
    private static String bundle(Receipts store, Receipt switched) {
        try {
            return Files.readString(store.directory().resolve("policies/" + switched.summary().get("policy.to") + ".bundle"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> listing(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.map(Path::getFileName).sorted().toList();
        }
    }
}
