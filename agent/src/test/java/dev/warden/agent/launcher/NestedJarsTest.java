package dev.warden.agent.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The nested jars are unpacked once per build, however many JVMs start it at the same moment. */
class NestedJarsTest {

    @TempDir
    Path workspace;

    /**
     * Another JVM unpacking a build by hand: holds the unpacking lock, and on a line from its standard input
     * moves a whole build in (failing if one is there already), lets go, and says how it went.
     */
    public static void main(String[] arguments) throws IOException {
        Path root = Path.of(arguments[0]);
        String build = arguments[1];
        BuildsInUse.use(root, build);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (BuildsInUse.Unpacking alone = BuildsInUse.unpacking(root, build)) {
            System.out.println("unpacking");
            System.out.flush();
            in.readLine();
            Path staging = Files.createDirectories(root.resolve(build + ".staging-other/warden/lib"));
            Files.writeString(staging.resolve("library.jar"), "library");
            Files.createDirectories(root.resolve(build + ".staging-other/warden/bootstrap"));
            Files.writeString(root.resolve(build + ".staging-other/warden/bootstrap/warden-bootstrap.jar"), "boot");
            Files.createFile(root.resolve(build + ".staging-other/" + NestedJars.COMPLETE));
            Files.writeString(root.resolve(build + ".staging-other/unpacked-by"), "the other JVM");
            try {
                Files.move(root.resolve(build + ".staging-other"), root.resolve(build));
                System.out.println("moved in");
            } catch (IOException somebodyElseWasFaster) {
                System.out.println("raced: " + somebodyElseWasFaster);
            }
        }
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the build until the test is done
        }
    }

    private Path agentJar() throws IOException {
        Path jar = workspace.resolve("warden-agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("warden/bootstrap/warden-bootstrap.jar"));
            out.write("boot".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("warden/lib/library.jar"));
            out.write("library".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    @Test
    void aBuildIsUnpackedOnceAndLaterStartsReuseIt() throws IOException {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        NestedJars first = NestedJars.unpack(agentJar(), root);
        Files.writeString(first.bootstrap().getParent().getParent().getParent().resolve("marker"), "kept");

        NestedJars second = NestedJars.unpack(agentJar(), root);

        assertThat(second.bootstrap()).isEqualTo(first.bootstrap()).hasContent("boot");
        assertThat(second.libraries()).containsExactly(first.libraries());
        assertThat(first.bootstrap().getParent().getParent().getParent().resolve("marker")).exists();
    }

    @Test
    void whatAHalfFinishedCleanUpLeftIsUnpackedAfresh() throws IOException {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        Path directory = NestedJars.unpack(agentJar(), root).bootstrap().getParent().getParent().getParent();
        Files.delete(directory.resolve(NestedJars.COMPLETE)); // a clean-up removes the marker first
        Files.delete(directory.resolve("warden/lib/library.jar"));

        NestedJars again = NestedJars.unpack(agentJar(), root);

        assertThat(again.libraries()).singleElement().satisfies(library -> assertThat(library).hasContent("library"));
        assertThat(directory.resolve(NestedJars.COMPLETE)).exists();
    }

    @Test
    void aJvmStartingWhileAnotherUnpacksTheSameBuildWaitsAndUsesItsCopy() throws Exception {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        Path jar = agentJar();
        Path probe = Files.createDirectories(workspace.resolve("probe")); // learns the build's name
        String build = probe.relativize(NestedJars.unpack(jar, probe).bootstrap()).getName(0).toString();
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NestedJarsTest.class.getName(), root.toString(), build)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader said = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
             OutputStream tell = other.getOutputStream()) {
            assertThat(said.readLine()).isEqualTo("unpacking");

            CompletableFuture<NestedJars> ours = CompletableFuture.supplyAsync(() -> {
                try {
                    return NestedJars.unpack(jar, root);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            tell.write("go\n".getBytes(StandardCharsets.UTF_8));
            tell.flush();

            assertThat(said.readLine()).isEqualTo("moved in");
            NestedJars jars = ours.get();
            assertThat(jars.bootstrap()).hasContent("boot");
            assertThat(root.resolve(build).resolve("unpacked-by")).hasContent("the other JVM");
        } finally {
            other.destroy();
            other.waitFor();
        }
    }
}
