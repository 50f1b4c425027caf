package dev.warden.instrumentation.file;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The path rules see is the path the kernel will touch. */
class FileActionEnricherTest {

    @TempDir
    Path temp;

    private Path root;
    private FileActionEnricher enricher;

    private void setUp() throws Exception {
        root = temp.toRealPath();
        Files.createDirectories(root.resolve("work"));
        Files.createDirectories(root.resolve("outside"));
        enricher = new FileActionEnricher(root.resolve("work").toString(), root.resolve("tmp").toString());
    }

    private ActionDescription describe(String operation, String raw, String to, List<String> options, String via) {
        Map<String, Object> attributes = new HashMap<>();
        if (raw != null) {
            attributes.put("file.path.raw", raw);
        }
        if (to != null) {
            attributes.put("file.to.raw", to);
        }
        attributes.put("file.options", options);
        attributes.put("file.via", via);
        attributes.put("file.call", 1L);
        return enricher.describe(new ActionRequest("file", operation, null, attributes));
    }

    @Test
    void aRelativePathIsResolvedAgainstTheStartingDirectoryAndDotDotIsTaken() throws Exception {
        setUp();

        ActionDescription described = describe("WRITE", "a/../../outside/./x", null, List.of("WRITE"), "FileOutputStream");

        assertThat(described.target()).isEqualTo(root.resolve("outside/x").toString());
        assertThat(described.attributes()).containsEntry("file.path", root.resolve("outside/x").toString())
                .containsEntry("file.path.raw", "a/../../outside/./x").containsEntry("file.exists", false)
                .containsEntry("file.via", "FileOutputStream");
        assertThat(described.summary()).containsEntry("file.path.raw", "a/../../outside/./x").doesNotContainKey("file.call");
    }

    /**
     * A seventh review (2026-12-07): with {@code -Duser.dir} naming another directory than the process's own, NIO
     * resolves a relative path against the property and {@code java.io} hands the name to the kernel, which resolves
     * it from the process's directory; a {@code java.io} rename's destination too.
     */
    @Test
    void aRelativeJavaIoNameIsResolvedFromTheProcesssDirectoryAndANioPathFromUserDir() throws Exception {
        setUp();
        enricher = new FileActionEnricher(root.resolve("work").toString(), root.resolve("outside").toString(),
                root.resolve("tmp").toString());

        assertThat(describe("WRITE", "x", null, List.of("WRITE"), "FileOutputStream").target())
                .isEqualTo(root.resolve("outside/x").toString());
        assertThat(describe("WRITE", "x", null, List.of("WRITE"), "nio.newByteChannel").target())
                .isEqualTo(root.resolve("work/x").toString());
        assertThat(describe("MOVE", root.resolve("work/a").toString(), "b", List.of(), "File.renameTo").attributes())
                .containsEntry("file.to", root.resolve("outside/b").toString());
        assertThat(describe("MOVE", root.resolve("work/a").toString(), "b", List.of(), "nio.move").attributes())
                .containsEntry("file.to", root.resolve("work/b").toString());
    }

    @Test
    void aWriteThroughASymbolicLinkIsAWriteToItsTargetEvenWhenTheTargetDoesNotExistYet() throws Exception {
        setUp();
        Files.createSymbolicLink(root.resolve("work/link"), root.resolve("outside/new"));

        ActionDescription write = describe("WRITE", "link", null, List.of("WRITE"), "FileOutputStream");
        ActionDescription delete = describe("DELETE", "link", null, List.of(), "File.delete");

        assertThat(write.target()).isEqualTo(root.resolve("outside/new").toString());
        assertThat(write.attributes()).containsEntry("file.links", 1L);
        assertThat(delete.target()).as("a delete removes the link itself").isEqualTo(root.resolve("work/link").toString());
    }

    @Test
    void dotDotAfterALinkIsTheParentOfTheLinksTarget() throws Exception {
        setUp();
        Files.createDirectories(root.resolve("outside/deep"));
        Files.createSymbolicLink(root.resolve("work/d"), root.resolve("outside/deep"));

        ActionDescription described = describe("WRITE", "d/../x", null, List.of(), "FileOutputStream");

        assertThat(described.target()).isEqualTo(root.resolve("outside/x").toString());
    }

    @Test
    void aLinkedDirectoryOnTheWayIsFollowedForEveryOperation() throws Exception {
        setUp();
        Files.createSymbolicLink(root.resolve("work/dir"), root.resolve("outside"));

        assertThat(describe("DELETE", "dir/victim", null, List.of(), "File.delete").target())
                .isEqualTo(root.resolve("outside/victim").toString());
    }

    @Test
    void aSymbolicLinkLoopIsDescribedWithAnErrorNotAHang() throws Exception {
        setUp();
        Files.createSymbolicLink(root.resolve("work/a"), root.resolve("work/b"));
        Files.createSymbolicLink(root.resolve("work/b"), root.resolve("work/a"));

        ActionDescription described = describe("WRITE", "a/x", null, List.of(), "FileOutputStream");

        assertThat(described.attributes()).containsEntry("file.error", "too many levels of symbolic links");
        assertThat(described.summary()).containsKey("file.error");
    }

    @Test
    void nulControlCharactersAndUnpairedSurrogatesAreEscapedSoNoPrefixHidesAndTheReceiptEncodes() throws Exception {
        setUp();

        ActionDescription nul = describe("DELETE", "/etc/passwd\0.bak", null, List.of(), "File.delete");
        ActionDescription lone = describe("WRITE", "x\ud800\u001b", null, List.of(), "nio.newByteChannel");
        ActionDescription loneJavaIo = describe("WRITE", "x\ud800\u001b", null, List.of(), "FileOutputStream");

        assertThat(nul.target()).isEqualTo("/etc/passwd\\0.bak");
        assertThat(nul.attributes()).containsEntry("file.error", "path contains NUL");
        assertThat(lone.target()).isEqualTo(root.resolve("work") + "/x\\ud800\\x1b");
        assertThat(loneJavaIo.target()).as("the name java.io hands the kernel").isEqualTo(root.resolve("work") + "/x?\\x1b");
        assertThat(FileActionEnricher.printable("caf\u00e9 \ud83d\ude00")).isEqualTo("caf\u00e9 \ud83d\ude00");
    }

    @Test
    void aPathLongerThanTheKernelAcceptsIsDescribedLexically() throws Exception {
        setUp();
        String longPath = "/tmp/" + "a/".repeat(5000) + "x";

        ActionDescription described = describe("WRITE", longPath, null, List.of(), "FileOutputStream");

        assertThat(described.attributes().get("file.error").toString()).startsWith("path longer than");
        assertThat(described.target()).startsWith("/tmp/a/a/");
    }

    @Test
    void aMoveHasBothEndsAsTargetsAndALinkTargetIsReadFromTheLinksDirectory() throws Exception {
        setUp();

        ActionDescription move = describe("MOVE", "a", "../outside/b", List.of(), "nio.move");
        ActionDescription link = describe("LINK", root.resolve("work/l").toString(), "../outside/secret", List.of(),
                "nio.createSymbolicLink");

        assertThat(move.targets()).containsExactlyInAnyOrder(root.resolve("work/a").toString(), root.resolve("outside/b").toString());
        assertThat(link.attributes()).containsEntry("file.to", root.resolve("outside/secret").toString())
                .containsEntry("file.link", "symbolic");
    }

    @Test
    void aTemporaryFileWithoutADirectoryGoesToTheTemporaryDirectoryCapturedAtStart() throws Exception {
        setUp();
        Map<String, Object> attributes = new HashMap<>(Map.of("file.temp.name", "warden*.tmp", "file.options", List.of(),
                "file.via", "File.createTempFile", "file.call", 2L));

        ActionDescription described = enricher.describe(new ActionRequest("file", "WRITE", null, attributes));

        assertThat(described.target()).isEqualTo(root.resolve("tmp/warden*.tmp").toString());
    }

    /** The rule linter checks rules against the declared facts: a fact described but not declared would be flagged as a typo. */
    @Test
    void everyFactDescribedIsDeclared() throws Exception {
        setUp();
        Files.createSymbolicLink(root.resolve("work/link"), root.resolve("outside"));
        List<ActionDescription> described = List.of(
                describe("WRITE", "link/x", null, List.of("WRITE", "NOFOLLOW_LINKS"), "Files.newOutputStream"),
                describe("MOVE", "a", "link/b", List.of(), "Files.move"),
                describe("LINK", "l", "../outside", List.of(), "Files.createSymbolicLink"),
                describe("LINK", "h", "a", List.of(), "Files.createLink"),
                describe("READ", "\u0000bad", null, List.of(), "FileInputStream"));

        assertThat(described.get(0).attributes()).containsKey("file.links");
        for (ActionDescription description : described) {
            assertThat(FileActionEnricher.FACTS.undeclared(description)).isEmpty();
        }
    }
}
