package dev.warden.rules.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whose a cache directory is: the user this JVM runs as, whatever the JVM calls that user. */
class CacheDirectoryTest {

    @TempDir
    Path workspace;

    /** A container's user id without a passwd entry: the JVM names it "?", its files are named by number. */
    @Test
    void aUserTheJvmCannotNameStillUsesItsOwnDirectoryAndKey() throws Exception {
        String name = System.getProperty("user.name");
        System.setProperty("user.name", "?");
        try {
            CacheDirectory first = CacheDirectory.open(workspace.resolve("cache"));
            byte[] mac = first.mac("entry".getBytes(StandardCharsets.UTF_8));

            CacheDirectory again = CacheDirectory.open(workspace.resolve("cache"));

            assertThat(again.mac("entry".getBytes(StandardCharsets.UTF_8))).as("the same key, read again").isEqualTo(mac);
        } finally {
            System.setProperty("user.name", name);
        }
    }

    @Test
    void aDirectoryInOneOthersMayWriteIsNotUsed() throws Exception {
        Path open = Files.createDirectory(workspace.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> CacheDirectory.open(open.resolve("cache")))
                .hasMessageContaining("where another user could put a directory of theirs in its place");
    }

    /**
     * A Kubernetes {@code emptyDir} is open to all without the sticky bit, and Warden's jars are unpacked in it too:
     * whoever could swap the cache could swap the code that checks it, so the cache is used there, not refused at
     * every start. Beside code elsewhere it is refused as before.
     */
    @Test
    void aDirectoryInOneOthersMayWriteIsUsedWhereWardensOwnCodeLiesToo() throws Exception {
        Path open = Files.createDirectory(workspace.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path ownCode = Files.createDirectories(open.resolve("warden-user/0123abcd/warden/lib")).toRealPath();

        assertThat(CacheDirectory.open(open.resolve("warden-user/policies"), ownCode).directory())
                .isEqualTo(open.toRealPath().resolve("warden-user/policies"));
        Path elsewhere = Files.createDirectories(workspace.resolve("safe/warden/lib")).toRealPath();
        assertThatThrownBy(() -> CacheDirectory.open(open.resolve("cache"), elsewhere))
                .hasMessageContaining("where another user could put a directory of theirs in its place");
    }

    /** As in /tmp: others may write there, but only a file's owner may move or remove it. */
    @Test
    void aDirectoryInAStickyOneOthersMayWriteIsUsed() throws Exception {
        Path sticky = Files.createDirectory(workspace.resolve("sticky"));
        Files.setPosixFilePermissions(sticky, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(sticky, "unix:mode", 01777);

        assertThat(CacheDirectory.open(sticky.resolve("cache")).directory()).isEqualTo(sticky.resolve("cache"));
    }

    /** Whoever may change the link later changes nothing: the directory is used by the path the link led to. */
    @Test
    void aDirectoryReachedThroughALinkIsUsedByItsRealPath() throws Exception {
        Path real = Files.createDirectory(workspace.resolve("real"));
        Path link = Files.createSymbolicLink(workspace.resolve("link"), real);

        CacheDirectory cache = CacheDirectory.open(link.resolve("cache"));

        assertThat(cache.directory()).isEqualTo(real.toRealPath().resolve("cache"));
    }

    @Test
    void askingWhoseItIsLeavesNothingBehind() throws Exception {
        CacheDirectory.open(workspace.resolve("cache"));
        CacheDirectory.open(workspace.resolve("cache"));

        try (var files = Files.list(workspace.resolve("cache"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly(CacheDirectory.KEY_FILE);
        }
    }
}
