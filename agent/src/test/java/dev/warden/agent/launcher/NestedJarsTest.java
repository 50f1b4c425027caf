package dev.warden.agent.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            Files.writeString(root.resolve(build + ".staging-other/" + NestedJars.COMPLETE),
                    "warden/bootstrap/warden-bootstrap.jar 4\nwarden/lib/library.jar 7\n" + JarIndex.FILE + " 33\n");
            Files.writeString(root.resolve(build + ".staging-other/" + JarIndex.FILE), "warden-bootstrap.jar\tlibrary.jar\n");
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
            out.putNextEntry(entry("warden/bootstrap/warden-bootstrap.jar"));
            out.write(nestedJar("boot"));
            out.putNextEntry(entry("warden/lib/library.jar"));
            out.write(nestedJar("library"));
        }
        return jar;
    }

    /**
     * An entry of a fixed time: a nested jar's bytes hold its entries' times, so the same jar made again two seconds
     * later (a zip's clock) would be another build, unpacked anew, and a test that makes it twice would not compare it
     * with what it unpacked before.
     */
    private static JarEntry entry(String name) {
        JarEntry entry = new JarEntry(name);
        entry.setTime(ENTRY_TIME);
        return entry;
    }

    private static final long ENTRY_TIME = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    /** What an unpacked jar's time is: the entry's local date and time (a zip's), read as UTC in every time zone. */
    private static final long PACKED = java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(ENTRY_TIME),
            java.time.ZoneId.systemDefault()).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();

    /** A jar as the build nests it (uncompressed, unsigned: {@code PackNestedJars}): a manifest and one class. */
    private static byte[] nestedJar(String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes)) {
            out.setMethod(ZipEntry.STORED);
            stored(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            stored(out, "dev/Example.class", content.repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void stored(JarOutputStream out, String name, byte[] content) throws IOException {
        JarEntry entry = entry(name);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(content);
    }

    private static String example(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return new String(file.getInputStream(file.getEntry("dev/Example.class")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theJarsAreUnpackedAsTheBuildNestedThem() throws IOException {
        Path agentJar = agentJar();
        NestedJars jars = NestedJars.unpack(agentJar, Files.createDirectories(workspace.resolve("cache")));

        try (JarFile agent = new JarFile(agentJar.toFile())) {
            assertThat(jars.libraries()[0]).hasBinaryContent(agent.getInputStream(agent.getEntry("warden/lib/library.jar")).readAllBytes());
            assertThat(jars.bootstrap()).hasBinaryContent(agent.getInputStream(agent.getEntry("warden/bootstrap/warden-bootstrap.jar")).readAllBytes());
        }
        assertThat(example(jars.libraries()[0])).isEqualTo("library".repeat(100));
        assertThat(example(jars.bootstrap())).isEqualTo("boot".repeat(100));
    }

    @Test
    void anIndexThatIsNotTheOneUnpackedIsRefusedNamingTheDirectoryToDelete() throws IOException {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        Path library = NestedJars.unpack(agentJar(), root).libraries()[0];
        Path index = library.getParent().getParent().getParent().resolve(JarIndex.FILE);
        Files.writeString(index, "\n", java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> NestedJars.unpack(agentJar(), root)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not the one unpacked with it; delete");
        Files.delete(index);
        assertThatThrownBy(() -> NestedJars.unpack(agentJar(), root)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not the one unpacked with it; delete");
    }

    @Test
    void anUnpackedJarThatIsNotWhatWasWrittenIsRefused() throws IOException {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        Path library = NestedJars.unpack(agentJar(), root).libraries()[0];
        Files.write(library, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> NestedJars.unpack(agentJar(), root)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void aBuildIsUnpackedOnceAndLaterStartsReuseIt() throws IOException {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        NestedJars first = NestedJars.unpack(agentJar(), root);
        Files.writeString(first.bootstrap().getParent().getParent().getParent().resolve("marker"), "kept");

        NestedJars second = NestedJars.unpack(agentJar(), root);

        assertThat(second.bootstrap()).isEqualTo(first.bootstrap());
        assertThat(example(second.bootstrap())).isEqualTo("boot".repeat(100));
        assertThat(second.libraries()).containsExactly(first.libraries());
        assertThat(first.bootstrap().getParent().getParent().getParent().resolve("marker")).exists();
    }

    /** What keys the caches by the build (BuildId: each jar's path, size and time) is the same after unpacking again. */
    @Test
    void aBuildRemovedAndUnpackedAgainHasItsJarsAsTheyWerePacked() throws IOException {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        NestedJars first = NestedJars.unpack(agentJar(), root);
        Path directory = first.bootstrap().getParent().getParent().getParent();
        assertThat(Files.getLastModifiedTime(first.bootstrap()).toMillis()).as("the time it was packed with").isEqualTo(PACKED);
        NestedJars.deleteRecursively(directory); // as another build's start removes a build no JVM uses

        NestedJars again = NestedJars.unpack(agentJar(), root);

        assertThat(again.bootstrap()).isEqualTo(first.bootstrap());
        assertThat(again.libraries()).containsExactly(first.libraries());
        for (Path jar : java.util.List.of(again.bootstrap(), again.libraries()[0])) {
            assertThat(Files.getLastModifiedTime(jar).toMillis()).as(jar.toString()).isEqualTo(PACKED);
        }
    }

    /** A clean-up by age removes the jars, kept with the time they were packed with, before the newer marker. */
    @Test
    void jarsACleanUpByAgeRemovedAreUnpackedAfresh() throws IOException {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        Path library = NestedJars.unpack(agentJar(), root).libraries()[0];
        Files.delete(library);

        NestedJars again = NestedJars.unpack(agentJar(), root);

        assertThat(again.libraries()).containsExactly(library);
        assertThat(example(library)).isEqualTo("library".repeat(100));
    }

    @Test
    void whatAHalfFinishedCleanUpLeftIsUnpackedAfresh() throws IOException {
        Path root = Files.createDirectories(workspace.resolve("cache"));
        Path directory = NestedJars.unpack(agentJar(), root).bootstrap().getParent().getParent().getParent();
        Files.delete(directory.resolve(NestedJars.COMPLETE)); // a clean-up removes the marker first
        Files.delete(directory.resolve("warden/lib/library.jar"));

        NestedJars again = NestedJars.unpack(agentJar(), root);

        assertThat(again.libraries()).singleElement().satisfies(library -> assertThat(example(library)).isEqualTo("library".repeat(100)));
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
