package dev.warden.agent.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HeapDumpFileTest {

    @TempDir
    Path root;

    @Test
    void namedAsHotSpotNamesIt() throws Exception {
        Path dumps = Files.createDirectories(root.resolve("dumps"));

        assertThat(HeapDumpFile.names("", false, 42, root)).as("no HeapDumpPath: the working directory")
                .containsExactly(root.resolve("java_pid42.hprof"));
        assertThat(HeapDumpFile.names(dumps.toString(), true, 42, root)).as("a directory, gzipped")
                .containsExactly(dumps.resolve("java_pid42.hprof.gz"));
        assertThat(HeapDumpFile.names("dumps/app-%p.hprof", false, 42, root))
                .as("a file, relative, %p the pid; and the directory it would be if the host made one")
                .containsExactlyInAnyOrder(dumps.resolve("app-42.hprof"), dumps.resolve("app-42.hprof/java_pid42.hprof"));
    }

    @Test
    void fromTheJvmsOptionsTheLastOfEachCounting() {
        assertThat(HeapDumpFile.names(java.util.List.of("-Xmx64m", "-XX:HeapDumpPath=/a", "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=/b/", "-XX:HeapDumpGzipLevel=1"), 7, root)).contains(Path.of("/b/java_pid7.hprof.gz"));
        assertThat(HeapDumpFile.names(java.util.List.of("-XX:+HeapDumpOnOutOfMemoryError", "-XX:-HeapDumpOnOutOfMemoryError"),
                7, root)).isEmpty();
        // A full GC's dumps go to the same name (numbered after the first), and a System.gc() is the host's to call.
        assertThat(HeapDumpFile.names(java.util.List.of("-XX:+HeapDumpBeforeFullGC", "-XX:HeapDumpPath=/b/h.hprof"), 7, root))
                .contains(Path.of("/b/h.hprof"));
        assertThat(HeapDumpFile.names(java.util.List.of("-XX:+HeapDumpAfterFullGC", "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:-HeapDumpOnOutOfMemoryError"), 7, root)).as("one of them still dumps").isNotEmpty();
    }

    @Test
    void noneWhenNoDumpIsAskedFor() {
        // The test JVM runs without -XX:+HeapDumpOnOutOfMemoryError.
        assertThat(HeapDumpFile.names()).isEmpty();
    }
}
