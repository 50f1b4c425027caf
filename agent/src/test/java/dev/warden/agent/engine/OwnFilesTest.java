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
    void aKeyIsRefusedByAnyNameThatIsTheSameFile() throws Exception {
        Path key = Files.writeString(root.resolve("signing.pem"), "secret");
        Path hardLink = Files.createLink(root.resolve("innocent.txt"), key);
        OwnFiles own = OwnFiles.of(List.of(), List.of(key));

        assertThat(own.refusal("file", action("READ", key, null))).contains("one of its keys");
        assertThat(own.refusal("file", action("READ", hardLink, null))).as("a hard link to it").isNotNull();
        assertThat(own.refusal("file", action("COPY", key, root.resolve("copy.pem")))).as("copied out").isNotNull();
        assertThat(own.refusal("file", action("READ", Files.writeString(root.resolve("other.txt"), "x"), null))).isNull();
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
