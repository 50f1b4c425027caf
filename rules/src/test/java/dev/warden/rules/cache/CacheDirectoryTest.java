package dev.warden.rules.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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
    void askingWhoseItIsLeavesNothingBehind() throws Exception {
        CacheDirectory.open(workspace.resolve("cache"));
        CacheDirectory.open(workspace.resolve("cache"));

        try (var files = Files.list(workspace.resolve("cache"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly(CacheDirectory.KEY_FILE);
        }
    }
}
