package dev.warden.agent.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Unpacked builds no running JVM uses are removed; a build another JVM holds is kept until that JVM is gone. */
class BuildsInUseTest {

    @TempDir
    Path root;

    /** Another JVM: marks a build in use, says so, and holds it until its standard input closes. */
    public static void main(String[] arguments) throws IOException {
        BuildsInUse.use(Path.of(arguments[0]), arguments[1]);
        System.out.println("using");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold
        }
    }

    private Path build(String name) throws IOException {
        Path directory = Files.createDirectories(root.resolve(name).resolve("warden/lib"));
        Files.writeString(directory.resolve("a.jar"), "jar");
        Files.createFile(root.resolve(name).resolve(NestedJars.COMPLETE));
        return root.resolve(name);
    }

    private Process anotherJvmUsing(String build) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BuildsInUseTest.class.getName(), root.toString(), build)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).isEqualTo("using");
        return process;
    }

    @Test
    void buildsNoJvmUsesGoThoseInUseAndUnlockedOnesStay() throws Exception {
        build("ours");
        build("used");
        Path unused = build("unused");
        Path staging = Files.createDirectories(root.resolve("unused.staging-123/warden"));
        Path legacy = build("legacy");
        BuildsInUse.use(root, "ours");
        Files.createFile(root.resolve("unused" + BuildsInUse.LOCK));
        Process other = anotherJvmUsing("used");
        try {
            assertThat(BuildsInUse.removeUnused(root, "ours")).containsExactly("unused");

            assertThat(unused).doesNotExist();
            assertThat(staging.getParent()).doesNotExist();
            assertThat(root.resolve("unused" + BuildsInUse.LOCK)).doesNotExist();
            assertThat(root.resolve("used").resolve(NestedJars.COMPLETE)).exists();
            assertThat(root.resolve("ours").resolve(NestedJars.COMPLETE)).exists();
            assertThat(legacy.resolve(NestedJars.COMPLETE)).exists(); // no lock file: an older agent may use it
        } finally {
            other.getOutputStream().close();
            other.waitFor();
        }
        assertThat(BuildsInUse.removeUnused(root, "ours")).containsExactly("used");
        assertThat(root.resolve("used")).doesNotExist();
    }

    @Test
    void aLockFileLeftAsATombstoneIsReplaced() throws Exception {
        Files.writeString(root.resolve("stale" + BuildsInUse.LOCK), "removed\n");

        BuildsInUse.use(root, "stale");

        assertThat(root.resolve("stale" + BuildsInUse.LOCK)).isEmptyFile();
        assertThat(BuildsInUse.removeUnused(root, "other")).isEmpty(); // this JVM holds it
    }
}
