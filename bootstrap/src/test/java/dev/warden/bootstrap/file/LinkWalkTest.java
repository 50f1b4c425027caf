package dev.warden.bootstrap.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A path walked as the kernel opens it: name by name, links replaced where they are met. */
class LinkWalkTest {

    @TempDir
    Path workspace;

    @Test
    void aDotDotAfterALinkLeadsFromWhereTheLinkLed() throws Exception {
        Path deep = Files.createDirectories(workspace.resolve("a/b/c"));
        Files.createDirectories(workspace.resolve("a/b/target"));
        Path link = Files.createSymbolicLink(workspace.resolve("short"), deep);

        Path end = LinkWalk.walk(link.resolve("../target"), next -> null, null, reached -> reached);

        assertThat(end).as("not %s", workspace.resolve("target")).isEqualTo(workspace.resolve("a/b/target"));
    }

    @Test
    void everyNameReachedIsShownBeforeItsLinkIsFollowed() throws Exception {
        Path directory = Files.createDirectories(workspace.resolve("real"));
        Path link = Files.createSymbolicLink(workspace.resolve("named"), Path.of("real"));
        List<Path> reached = new ArrayList<>();

        String answer = LinkWalk.walk(link.resolve("file"), next -> {
            reached.add(next);
            return next.equals(directory) ? "through the directory" : null;
        }, "unfollowable", end -> "ended");

        assertThat(answer).isEqualTo("through the directory");
        assertThat(reached).endsWith(link, directory);
    }

    @Test
    void aLoopOfLinksEndsAsTheKernelsDoesUnfollowable() throws Exception {
        Files.createSymbolicLink(workspace.resolve("a"), workspace.resolve("b"));
        Files.createSymbolicLink(workspace.resolve("b"), workspace.resolve("a"));

        assertThat(LinkWalk.walk(workspace.resolve("a/tool"), next -> null, "unfollowable", end -> "ended"))
                .isEqualTo("unfollowable");
    }
}
