package dev.warden.agent.engine;

import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which file actions touch Warden's own files: changes inside what it keeps, and any open of a key. */
class OwnFilesTest {

    @TempDir
    Path root;

    @Test
    void changesInsideWhatWardenKeepsAreRefusedAndReadsThereAreThePolicys() throws Exception {
        Path receipts = Files.createDirectories(root.resolve("receipts"));
        OwnFiles own = OwnFiles.of(List.of(receipts), List.of());

        assertThat(own.refusal("file", action("WRITE", receipts.resolve("queue/x.cq4"), null))).contains("a directory Warden keeps");
        assertThat(own.refusal("file", action("DELETE", receipts, null))).as("the directory itself").isNotNull();
        assertThat(own.refusal("file", action("LINK", root.resolve("link"), receipts.resolve("queue")))).as("a link into it").isNotNull();
        assertThat(own.refusal("file", action("READ", receipts.resolve("public-key.pem"), null))).as("a read").isNull();
        assertThat(own.refusal("file", action("WRITE", root.resolve("receipts-other/x"), null))).as("a name that only begins alike").isNull();
        assertThat(own.refusal("jdbc", action("WRITE", receipts.resolve("x"), null))).as("another surface").isNull();
        assertThat(own.refusal("file", action("COPY", receipts.resolve("queue/x.cq4"), root.resolve("archive.cq4"))))
                .as("a copy out, to archive receipts").isNull();
        assertThat(own.refusal("file", action("COPY", root.resolve("x"), receipts.resolve("x")))).as("a copy in").isNotNull();
    }

    @Test
    void aDirectoryAboveWhatWardenKeepsIsNotMovedOrDeleted() throws Exception {
        Path receipts = Files.createDirectories(root.resolve("srv/receipts"));
        OwnFiles own = OwnFiles.of(List.of(receipts), List.of());

        assertThat(own.refusal("file", action("MOVE", root.resolve("srv"), root.resolve("old")))).contains("holds a directory Warden keeps");
        assertThat(own.refusal("file", action("DELETE", root.resolve("srv"), null))).isNotNull();
        assertThat(own.refusal("file", action("MOVE", root.resolve("srv/other"), root.resolve("old")))).as("a sibling").isNull();
        assertThat(own.refusal("file", action("MKDIR", root.resolve("srv"), null)))
                .as("Files.createDirectories on a parent that exists: only moves and deletes take what is below along").isNull();
    }

    @Test
    void aDirectoryAboveWhatWardenKeepsKeepsItsModeAndOwner() throws Exception {
        Path rules = Files.createDirectories(root.resolve("srv/rules"));
        OwnFiles own = OwnFiles.of(List.of(rules), List.of());

        assertThat(own.refusal("file", change(root.resolve("srv"), "ATTRIBUTES", "PERMISSIONS")))
                .as("opened to others, who could rename the rules away").contains("whose mode and owner no action changes");
        assertThat(own.refusal("file", change(root, "ATTRIBUTES", "PERMISSIONS"))).isNotNull();
        assertThat(own.refusal("file", change(root.resolve("srv"), "ATTRIBUTES"))).as("its times").isNull();
        assertThat(own.refusal("file", change(root.resolve("srv/other"), "ATTRIBUTES", "PERMISSIONS"))).as("a sibling").isNull();
        assertThat(own.refusal("file", action("WRITE", root.resolve("srv"), null))).as("a write that is no metadata change").isNull();
    }

    /** A metadata change as the file advice packs it: a WRITE with these options. */
    private static ActionDescription change(Path path, String... options) {
        Map<String, Object> facts = new HashMap<>();
        facts.put("file.path", path.toString());
        facts.put("file.options", List.of(options));
        return new ActionDescription("WRITE", path.toString(), Set.of(path.toString()), facts, Map.of());
    }

    @Test
    void aKeyIsRefusedByAnyNameThatIsTheSameFile() throws Exception {
        Path key = Files.writeString(root.resolve("signing.pem"), "secret");
        Path hardLink = Files.createLink(root.resolve("innocent.txt"), key);
        OwnFiles own = OwnFiles.of(List.of(), List.of(key));

        assertThat(own.refusal("file", action("READ", key, null))).contains("one of its keys");
        assertThat(own.refusal("file", action("READ", hardLink, null))).as("a hard link to it").isNotNull();
        assertThat(own.refusal("file", action("COPY", key, root.resolve("copy.pem")))).as("copied out").isNotNull();
        assertThat(own.refusal("file", action("READ", Files.writeString(root.resolve("other.txt"), "x"), null))).isNull();
    }

    /** A process's memory holds every key (a ninth review, 2026-12-07): opened by no action, handed to no child. */
    @Test
    void aProcesssMemoryIsOpenedByNoActionAndToldToNoProcess() throws Exception {
        Path key = Files.writeString(root.resolve("signing.pem"), "secret");
        OwnFiles own = OwnFiles.of(List.of(), List.of(key));
        long pid = ProcessHandle.current().pid();

        assertThat(own.refusal("file", action("READ", Path.of("/proc/" + pid + "/mem"), null))).contains("a process's memory");
        assertThat(own.refusal("file", action("WRITE", Path.of("/proc/" + pid + "/task/" + pid + "/mem"), null))).isNotNull();
        assertThat(own.refusal("file", action("COPY", Path.of("/proc/1/mem"), root.resolve("copy")))).isNotNull();
        assertThat(own.refusal("process", start(null, "dd", "if=/proc/self/mem"))).as("resolved as this JVM's").isNotNull();
        assertThat(own.refusal("file", action("READ", Path.of("/proc/" + pid + "/maps"), null))).isNull();
        assertThat(own.refusal("file", action("READ", root.resolve("mem"), null))).as("a file named mem").isNull();
    }

    /**
     * Found by a tenth review (2026-12-07): {@code cp -t /proc/<jvm pid>/fd <file named n>} wrote through this JVM's
     * descriptor {@code n}, the receipt log's open cycle file; what a descriptor's number names when the child opens it
     * is unknown when the start is decided. A child's own {@code /proc/self} ({@code /dev/stderr}) is its own.
     */
    @Test
    void aProcessToldOfAProcesssOpenFilesInProcfsIsRefusedItsOwnAreItsOwn() throws Exception {
        Path key = Files.writeString(root.resolve("signing.pem"), "secret");
        OwnFiles own = OwnFiles.of(List.of(), List.of(key));
        long pid = ProcessHandle.current().pid();
        Path toDescriptors = Files.createSymbolicLink(root.resolve("descriptors"), Path.of("/proc/" + pid + "/fd"));

        assertThat(own.refusal("process", start(null, "cp", "-t", "/proc/" + pid + "/fd", "/tmp/3")))
                .contains("through /proc/" + pid + "/fd, a process's open files");
        assertThat(own.refusal("process", start(null, "cp", "-rT", "/tmp/src", "/proc/" + pid))).as("a directory above").isNotNull();
        assertThat(own.refusal("process", start(null, "cp", "-rT", "/tmp/src", "/proc/"))).as("procfs itself").isNotNull();
        assertThat(own.refusal("process", start(null, "cat", "/proc/" + pid + "/task/" + pid + "/cwd/x"))).isNotNull();
        assertThat(own.refusal("process", start(null, "tar", "-C", "/proc/1/root/tmp", "-xf", "x.tar"))).as("another's").isNotNull();
        assertThat(own.refusal("process", start(null, "cp", "x", toDescriptors + "/"))).as("through a link").isNotNull();
        assertThat(own.refusal("process", start("/proc/" + pid + "/fd", "cp", "x", "3"))).as("started there").isNotNull();
        assertThat(own.refusal("process", start(null, "tool", "--into=/proc/" + pid + "/fd"))).as("an option's value").isNotNull();
        assertThat(own.refusal("process", start(null, "tee", "/dev/stderr"))).as("the child's own").isNull();
        assertThat(own.refusal("process", start(null, "cat", "/proc/self/fd/0", "/dev/fd/0"))).as("the child's own").isNull();
        assertThat(own.refusal("process", start(null, "cat", "/proc/" + pid + "/status", "/proc/cpuinfo"))).isNull();
    }

    @Test
    void theConfigurationNamesWhatWardenKeepsAndItsKeys() throws Exception {
        Path rules = Files.createDirectories(root.resolve("rules"));
        Files.writeString(Files.createDirectories(root.resolve("keys")).resolve("signing.pem"), "a key");
        String arguments = "rules=" + rules + ",receipts=" + root.resolve("receipts") + ",cache=" + root.resolve("cache")
                + ",key=" + root.resolve("keys/signing.pem") + ",siem=file:" + root.resolve("siem/events.json")
                + ",checkpoint-export=" + root.resolve("anchors/checkpoints.txt");
        dev.warden.agent.config.WardenConfig config = dev.warden.agent.config.ConfigLoader.load(arguments,
                new java.util.Properties(), Map.of(), Set.of("file"), root.resolve("tmp/warden-user"));
        Path agentJar = root.resolve("deploy/warden-agent.jar");

        assertThat(OwnFiles.kept(config, agentJar)).contains(rules, root.resolve("receipts"), root.resolve("cache"),
                root.resolve("keys/signing.pem"), root.resolve("siem/events.json"), root.resolve("siem/events.json.1"),
                root.resolve("anchors/checkpoints.txt"), agentJar);
        assertThat(OwnFiles.secrets(config, root.resolve("receipts/chains/one"))).contains(root.resolve("keys/signing.pem"),
                root.resolve("receipts/signing-key.pem"), root.resolve("receipts/chains/one/signing-key.pem"),
                root.resolve("cache/cache.key"));
    }

    /**
     * Found by a seventh review (2026-12-07): a path the enricher could not resolve (a link named in bytes Java cannot
     * read, a relative name whose absolute form passes PATH_MAX) is only its lexical reading, which may miss what Warden
     * keeps while the kernel reaches it: a change through it is refused; a read stays the policy's.
     */
    @Test
    void aChangeWhosePathCouldNotBeResolvedIsRefused() throws Exception {
        Path rules = Files.createDirectories(root.resolve("rules"));
        OwnFiles own = OwnFiles.of(List.of(rules), List.of());
        Map<String, Object> facts = new HashMap<>();
        facts.put("file.path", root.resolve("work/docs/x.drl").toString());
        facts.put("file.error", "a name on the way (or a link's target) is not text in the file system's encoding");
        String path = root.resolve("work/docs/x.drl").toString();

        assertThat(own.refusal("file", new ActionDescription("WRITE", path, Set.of(path), facts, Map.of())))
                .contains("could not be known", "not text in the file system's encoding");
        assertThat(own.refusal("file", new ActionDescription("READ", path, Set.of(path), facts, Map.of()))).isNull();
        assertThat(own.refusal("file", action("WRITE", root.resolve("work/docs/x.drl"), null))).isNull();
    }

    /**
     * Found by a seventh review (2026-12-07): the YAML file named by {@code config=} and the {@code witnesses=} list are
     * what the next start reads as it finds them (a {@code mode: shadow}, a witness of the host's own); they were the
     * policy's to write.
     */
    @Test
    void theConfigurationFileAndTheWitnessesListAreWardensOwn() throws Exception {
        Path rules = Files.createDirectories(root.resolve("rules"));
        Path yaml = Files.writeString(Files.createDirectories(root.resolve("etc")).resolve("warden.yaml"), "actor: operator\n");
        Path witnesses = Files.writeString(root.resolve("etc/witnesses.txt"), "http://127.0.0.1:9 "
                + new dev.warden.receipts.WitnessKey("w", new dev.warden.receipts.VerificationKey(new byte[32])).vkey() + "\n");
        dev.warden.agent.config.WardenConfig config = dev.warden.agent.config.ConfigLoader.load("rules=" + rules
                        + ",receipts=" + root.resolve("receipts") + ",config=" + yaml + ",witnesses=" + witnesses,
                new java.util.Properties(), Map.of(), Set.of("file"), root.resolve("tmp/warden-user"));
        List<Path> kept = OwnFiles.kept(config, root.resolve("deploy/warden-agent.jar"));
        assertThat(kept).contains(yaml, witnesses);

        OwnFiles own = OwnFiles.of(kept, List.of());
        assertThat(own.refusal("file", action("WRITE", yaml, null))).contains("warden.yaml");
        assertThat(own.refusal("file", action("MOVE", witnesses, root.resolve("elsewhere.txt")))).isNotNull();
        assertThat(own.refusal("file", action("COPY", root.resolve("etc/other.yaml"), yaml))).as("copied over").isNotNull();
        assertThat(own.refusal("file", action("READ", yaml, null))).as("reading it is the policy's").isNull();
        assertThat(own.refusal("file", action("WRITE", root.resolve("etc/warden.yaml.bak"), null))).as("beside it").isNull();
    }

    /**
     * Found by a sixth review (2026-12-07): a permitted {@code git clone URL <rules>/vendor} wrote a rule file that
     * {@code rules-watch} put in force; git is a child, whose writes no {@code file} decision sees.
     */
    @Test
    void aProcessToldToWorkInWhatWardenKeepsIsRefused() throws Exception {
        Path real = root.toRealPath();
        Path rules = Files.createDirectories(real.resolve("srv/rules"));
        Path workspace = Files.createDirectories(real.resolve("ws"));
        Path key = Files.writeString(real.resolve("signing.pem"), "secret");
        Files.createSymbolicLink(workspace.resolve("policy"), rules);
        OwnFiles own = OwnFiles.of(List.of(rules), List.of(key));

        assertThat(own.refusal("process", start(null, "git", "clone", "file:///r", rules.resolve("vendor").toString())))
                .contains("a process told of " + rules.resolve("vendor") + ", in a directory Warden keeps");
        assertThat(own.refusal("process", start(rules.toString(), "git", "clone", "file:///r", "vendor")))
                .as("started there").contains("a process started in " + rules);
        assertThat(own.refusal("process", start(workspace.toString(), "git", "clone", "file:///r", "../srv/rules/vendor")))
                .as("a relative path from its directory").isNotNull();
        assertThat(own.refusal("process", start(workspace.toString(), "git", "clone", "file:///r", "policy/vendor")))
                .as("through a link in its directory").contains(rules.resolve("vendor").toString());
        assertThat(own.refusal("process", start(workspace.toString(), "cp", "x.drl", "policy")))
                .as("a link named last: cp writes where it leads").isNotNull();
        assertThat(own.refusal("process", start(null, "tool", "--out=" + rules.resolve("x.drl")))).as("an option's value").isNotNull();
        assertThat(own.refusal("process", start(null, "sh", "-c", "cp x.drl " + rules + "/; true")))
                .as("spelled out in a script").contains("a process told of " + rules + " in an argument");
        assertThat(own.refusal("process", start(null, "cat", key.toString()))).contains("one of its keys");
        assertThat(own.refusal("process", start(null, "git", "clone", "file:///r", real.resolve("srv/rules-other").toString())))
                .as("a name that only begins alike").isNull();
        assertThat(own.refusal("process", start(null, "sh", "-c", "ls " + rules + "-other"))).as("spelled alike in a script").isNull();
        assertThat(own.refusal("process", start(workspace.toString(), "git", "clone", "file:///r", "mine"))).isNull();
    }

    @Test
    void aProcessStartedWhereThisJvmRunsIsThereWhenNoDirectoryIsGiven() {
        Path here = Path.of("").toAbsolutePath();
        OwnFiles own = OwnFiles.of(List.of(here), List.of());

        assertThat(own.refusal("process", start(null, "git", "clone", "file:///r", "vendor"))).contains("a process started in ");
        assertThat(own.refusal("process", start(root.toString(), "echo", "hi"))).isNull();
    }

    /**
     * The rules configured through the {@code current} link of a release deploy: the operator flips it to the next
     * release while the JVM runs. What the link leads to from then on is Warden's (the watcher reads it, the next
     * start trusts it), and the release it led to at start stays Warden's for the run.
     */
    @Test
    void aLinkFlippedOnTheWayMovesTheProtectionToWhereTheNameLeadsNow() throws Exception {
        Path r1 = Files.createDirectories(root.resolve("app/releases/r1/rules"));
        Path r2 = Files.createDirectories(root.resolve("app/releases/r2/rules"));
        Path current = Files.createSymbolicLink(root.resolve("app/current"), Path.of("releases/r1"));
        Path rules = current.resolve("rules");
        OwnFiles own = OwnFiles.of(List.of(rules), List.of());
        KeptName kept = own.kept(rules);
        assertThat(kept.path()).isEqualTo(r1);
        assertThat(own.refusal("file", action("WRITE", r1.resolve("planted.drl"), null))).contains("a directory Warden keeps");
        assertThat(own.refusal("file", action("WRITE", r2.resolve("planted.drl"), null)))
                .as("a release not deployed yet is not Warden's: staged where the host writes, it is the operator's to check").isNull();

        flip(current, Path.of("releases/r2"));

        assertThat(own.refusal("file", action("WRITE", r2.resolve("planted.drl"), null))).as("the next decision follows the flip")
                .isEqualTo("Warden's own files: " + r2.resolve("planted.drl") + " is in a directory Warden keeps, which no action changes");
        assertThat(own.refusal("file", action("COPY", root.resolve("x.drl"), r2.resolve("x.drl")))).as("a copy in").isNotNull();
        assertThat(own.refusal("file", action("MOVE", root.resolve("app/releases/r2"), root.resolve("r2-moved"))))
                .as("the new release moved away").contains("holds a directory Warden keeps");
        assertThat(own.refusal("file", action("WRITE", r1.resolve("planted.drl"), null))).as("where it led at start").isNotNull();
        assertThat(kept.path()).as("what a reload reads").isEqualTo(r2);
    }

    @Test
    void theLinksOnTheWayAreNotMovedDeletedOrReplaced() throws Exception {
        Files.createDirectories(root.resolve("app/releases/r1/rules"));
        Path current = Files.createSymbolicLink(root.resolve("app/current"), Path.of("releases/r1"));
        Path next = Files.createSymbolicLink(root.resolve("app/next"), Path.of("releases/r0"));
        OwnFiles own = OwnFiles.of(List.of(current.resolve("rules")), List.of());

        // As the enricher describes them: a delete or a rename acts on the link itself, not on what it leads to.
        assertThat(own.refusal("file", action("DELETE", current, null))).contains("a symbolic link on the way to what Warden keeps");
        assertThat(own.refusal("file", action("MOVE", current, root.resolve("app/old")))).isNotNull();
        assertThat(own.refusal("file", action("MOVE", next, current))).as("renamed over it: the deploy's own flip")
                .contains("which no action replaces");
        assertThat(own.refusal("file", action("COPY", next, current))).as("copied over it").isNotNull();
        assertThat(own.refusal("file", action("MOVE", root.resolve("app"), root.resolve("app-old")))).as("a directory above it")
                .isNotNull();
        assertThat(own.refusal("file", action("DELETE", next, null))).as("another link").isNull();
        assertThat(own.refusal("file", action("MOVE", next, root.resolve("app/previous")))).isNull();
        assertThat(own.refusal("file", action("READ", current, null))).as("read through").isNull();
    }

    @Test
    void aKeptNameIsWalkedAsTheKernelWalksIt() throws Exception {
        Path releases = Files.createDirectories(root.resolve("app/releases/r1")).getParent();
        Files.createSymbolicLink(root.resolve("app/current"), Path.of("releases/r1"));
        Files.createSymbolicLink(root.resolve("live"), root.resolve("app/current")); // a link to a link, absolute
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));

        assertThat(KeptName.of(root.resolve("live/rules")).path()).as("not created yet: as it will be").isEqualTo(releases.resolve("r1/rules"));
        assertThat(KeptName.of(root.resolve("app/current/../shared")).path()).as("'..' after a link: its target's parent")
                .isEqualTo(releases.resolve("shared"));
        assertThat(KeptName.of(root.resolve("loop/rules")).path()).as("a loop ends, as the kernel's ELOOP").isNotNull();
        assertThat(KeptName.of(Path.of("relative/rules")).name()).as("against the working directory the JVM started in")
                .isEqualTo(Path.of(System.getProperty("user.dir")).resolve("relative/rules"));
    }

    /** A name whose links still hold what they held is not walked again: a decision reads the links, nothing more. */
    @Test
    void aResolutionIsWalkedAgainOnlyWhenALinkOnTheWayChanged() throws Exception {
        Files.createDirectories(root.resolve("app/releases/r1/rules"));
        Files.createDirectories(root.resolve("app/releases/r2/rules"));
        Path current = Files.createSymbolicLink(root.resolve("app/current"), Path.of("releases/r1"));
        KeptName throughALink = KeptName.of(current.resolve("rules"));
        KeptName plain = KeptName.of(root.resolve("app/releases/r1/rules"));

        assertThat(throughALink.now()).isSameAs(throughALink.now());
        assertThat(plain.now()).isSameAs(plain.now());
        assertThat(plain.now().links()).isEmpty();
        KeptName.Resolution before = throughALink.now();
        flip(current, Path.of("releases/r2"));
        assertThat(throughALink.now()).isNotSameAs(before);
        assertThat(throughALink.path()).isEqualTo(root.resolve("app/releases/r2/rules"));
    }

    /**
     * A directory on the way replaced outside the JVM by a link to another (no link on the way flipped): the decisions'
     * look reads links only, so it is Warden's control thread's walk in full that makes the new target Warden's, and
     * a reading walks first.
     */
    @Test
    void aDirectoryReplacedByALinkIsFollowedByTheWalkInFull() throws Exception {
        Path rules = Files.createDirectories(root.resolve("app/rules"));
        Path next = Files.createDirectories(root.resolve("next/rules"));
        OwnFiles own = OwnFiles.of(List.of(rules), List.of());
        Files.move(rules, root.resolve("app/rules-before"));
        Files.createSymbolicLink(rules, next);
        assertThat(own.refusal("file", action("WRITE", next.resolve("planted.drl"), null)))
                .as("no link was on the way: the decisions' look has nothing to read").isNull();

        own.walkAgain();

        assertThat(own.refusal("file", action("WRITE", next.resolve("planted.drl"), null))).isNotNull();
        assertThat(own.refusal("file", action("DELETE", rules, null))).as("now a link on the way").isNotNull();
        assertThat(own.kept(rules).walk()).isEqualTo(next);
    }

    @Test
    void onlyAKeptNameIsFollowedForReading() throws Exception {
        Path rules = Files.createDirectories(root.resolve("rules"));
        OwnFiles own = OwnFiles.of(List.of(rules), List.of());
        assertThat(own.kept(rules).path()).isEqualTo(rules);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> own.kept(root.resolve("elsewhere")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Found by an eleventh review (2026-12-07): a rules file that is a symbolic link to a shared place is read through
     * the link, but a write there was compared by where it leads, outside the rules, and the policy let it: the watcher
     * put a rule the host wrote there in force. Where each such link leads is Warden's, from the look that finds it.
     */
    @Test
    void aRulesFileLinkedInFromElsewhereIsKeptWhereItLeads() throws Exception {
        Path shared = Files.createDirectories(root.resolve("shared"));
        Path target = Files.writeString(shared.resolve("base.drl"), "package p;");
        Path rules = Files.createDirectories(root.resolve("rules"));
        Files.createSymbolicLink(rules.resolve("base.drl"), target);
        Files.createSymbolicLink(rules.resolve("notes.txt"), root.resolve("notes.txt")); // not read as rules
        OwnFiles own = OwnFiles.of(List.of(rules), List.of()).withLinkedRules(rules);

        assertThat(own.refusal("file", action("WRITE", target, null))).as("written where the link leads").isNotNull();
        assertThat(own.refusal("file", action("MOVE", shared, root.resolve("old")))).as("the place moved away").isNotNull();
        assertThat(own.refusal("process", start(null, "sh", "-c", "echo x > " + target))).as("spelled out to a child").isNotNull();
        assertThat(own.refusal("file", action("WRITE", shared.resolve("other.drl"), null))).as("beside it").isNull();
        assertThat(own.refusal("file", action("WRITE", root.resolve("notes.txt"), null))).as("no rules file").isNull();

        // A link the operator adds, leading nowhere yet: a rules file made there would be read at the next look.
        Path later = shared.resolve("later.yaml");
        Files.createSymbolicLink(Files.createDirectories(rules.resolve("sub")).resolve("later.yaml"), later);
        assertThat(own.refusal("file", action("WRITE", later, null))).as("before the look that finds it").isNull();
        own.walkAgain();
        assertThat(own.refusal("file", action("WRITE", later, null))).as("from the look that finds it").isNotNull();
    }

    /** The operator's deploy: a new link made aside, then renamed over the old one ({@code ln -sfn ... && mv -T}). */
    private static void flip(Path link, Path target) throws Exception {
        Path aside = Files.createSymbolicLink(link.resolveSibling(link.getFileName() + ".tmp"), target);
        Files.move(aside, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void nothingIsWardensInAnEngineBuiltForTests() {
        assertThat(OwnFiles.NONE.refusal("file", action("WRITE", root.resolve("anything"), null))).isNull();
    }

    /** As the file enricher describes it: {@code file.path}, and {@code file.to} for two paths. */
    private static ActionDescription action(String operation, Path path, Path to) {
        Map<String, Object> facts = new HashMap<>();
        facts.put("file.path", path.toString());
        if (to != null) {
            facts.put("file.to", to.toString());
        }
        return new ActionDescription(operation, path.toString(), Set.of(path.toString()), facts, Map.of());
    }

    /** As the process advice packs it: the command, and the directory when one is given. */
    private static ActionDescription start(String directory, String... command) {
        Map<String, Object> facts = new HashMap<>();
        facts.put("process.command", List.of(command));
        if (directory != null) {
            facts.put("process.directory", directory);
        }
        return new ActionDescription("EXEC", command[0], Set.of(command[0]), facts, Map.of());
    }
}
