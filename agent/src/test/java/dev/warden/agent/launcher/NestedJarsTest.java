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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * A container's user id without a passwd entry: the JVM names it "?", and its files are named by number. Its own
     * directory is named by that number (two such ids would share the name "?"), and is its own all the same, so later
     * starts reuse what the first unpacked.
     */
    @Test
    void aUserTheJvmCannotNameUnpacksIntoADirectoryNamedByItsIdOnceAndReusesIt() throws IOException {
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));
        Map<String, String> nameless = Map.of("user.name", "?", "java.io.tmpdir", temporary.toString());

        NestedJars first = Start.with(nameless).unpack(agentJar()).jars();
        NestedJars second = Start.with(nameless).unpack(agentJar()).jars();

        assertThat(first.root()).isEqualTo(temporary.toRealPath().resolve("warden-" + uid()));
        assertThat(first.bootstrap()).startsWith(first.root());
        assertThat(second.bootstrap()).isEqualTo(first.bootstrap());
        try (var entries = Files.list(temporary)) {
            assertThat(entries.map(entry -> entry.getFileName().toString())).containsExactly("warden-" + uid());
        }
    }

    /** A user name that is a path would put Warden's directory elsewhere: the user id names it instead. */
    @Test
    void aUserNameThatIsAPathIsNotUsedAsOne() throws IOException {
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));

        NestedJars jars = Start.with(Map.of("user.name", "../elsewhere", "java.io.tmpdir", temporary.toString()))
                .unpack(agentJar()).jars();

        assertThat(jars.root()).isEqualTo(temporary.toRealPath().resolve("warden-" + uid()));
    }

    /**
     * A {@code java.io.tmpdir} in which, or above which, others may write without the sticky bit (a Kubernetes
     * {@code emptyDir} is so): they could rename Warden's directory away and put jars of theirs in its place. There is
     * no safer place to choose, so the start goes on and says so, naming the directory; a sticky one, as {@code /tmp}
     * is, is fine and said nothing of.
     */
    @Test
    void aTemporaryDirectoryOthersMayRenameInIsWarnedOfAndAStickyOneIsNot() throws IOException {
        Path open = Files.createDirectories(workspace.resolve("open"));
        Path below = Files.createDirectories(open.resolve("tmp"));
        Path sticky = Files.createDirectories(workspace.resolve("sticky"));
        Files.setAttribute(open, "unix:mode", 0777);
        Files.setAttribute(sticky, "unix:mode", 01777);
        try {
            for (Path unsafe : List.of(open, below)) {
                Start.Unpacked unpacked = Start.with(Map.of("java.io.tmpdir", unsafe.toString())).unpack(agentJar());

                assertThat(unpacked.said()).contains("warden: WARNING: java.io.tmpdir " + unsafe.toRealPath()
                        + " is not safe for Warden's jars: others may write in " + open.toRealPath() + " without the sticky bit");
                assertThat(unpacked.jars().root().getParent()).isEqualTo(unsafe.toRealPath());
            }
            Start.Unpacked unpacked = Start.with(Map.of("java.io.tmpdir", sticky.toString())).unpack(agentJar());

            assertThat(unpacked.said()).isEmpty();
            assertThat(unpacked.jars().root().getParent()).isEqualTo(sticky.toRealPath());
        } finally {
            Files.setAttribute(open, "unix:mode", 0700);
        }
    }

    /**
     * A {@code java.io.tmpdir} that is a link is judged, and used, where it leads: a link that others could retarget
     * is read once, and what is checked is what is used; a safe-looking link into an unsafe directory is warned of.
     */
    @Test
    void aTemporaryDirectoryThatIsALinkIsJudgedWhereItLeads() throws IOException {
        Path open = Files.createDirectories(workspace.resolve("open"));
        Path safe = Files.createDirectories(workspace.resolve("safe"));
        Files.setAttribute(open, "unix:mode", 0777);
        Path intoSafe = Files.createSymbolicLink(open.resolve("link-to-safe"), safe);
        Path intoOpen = Files.createSymbolicLink(safe.resolve("link-to-open"), open);
        try {
            Start.Unpacked throughIntoSafe = Start.with(Map.of("java.io.tmpdir", intoSafe.toString())).unpack(agentJar());
            assertThat(throughIntoSafe.said()).isEmpty();
            assertThat(throughIntoSafe.jars().root().getParent()).isEqualTo(safe.toRealPath());

            Start.Unpacked throughIntoOpen = Start.with(Map.of("java.io.tmpdir", intoOpen.toString())).unpack(agentJar());
            assertThat(throughIntoOpen.said()).contains("java.io.tmpdir " + open.toRealPath() + " is not safe for Warden's jars");
            assertThat(throughIntoOpen.jars().root().getParent()).isEqualTo(open.toRealPath());
        } finally {
            Files.setAttribute(open, "unix:mode", 0700);
        }
    }

    /**
     * {@code $TMPDIR/warden-$USER} made first by someone else, or open to others: never trusted. Each start unpacks into
     * a private directory of this user's instead, the same one, rather than a new one a start, never removed.
     */
    @Test
    void aDirectoryOthersMayWriteIsPassedOverForOnePrivateDirectoryThatLaterStartsReuse() throws IOException {
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));
        Path squatted = Files.createDirectory(temporary.resolve("warden-squatted"));
        Files.setPosixFilePermissions(squatted, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Map<String, String> squatting = Map.of("user.name", "squatted", "java.io.tmpdir", temporary.toString());

        Start.Unpacked first = Start.with(squatting).unpack(agentJar());
        NestedJars second = Start.with(squatting).unpack(agentJar()).jars();

        assertThat(first.said()).contains("warden: WARNING: " + temporary.toRealPath().resolve("warden-squatted")
                + " is not this user's alone; Warden's jars are unpacked in " + first.jars().root() + " instead");
        assertThat(first.jars().root().getFileName().toString()).as("where the default cache goes too")
                .startsWith("warden-private-");
        assertThat(first.jars().bootstrap()).startsWith(first.jars().root());
        assertThat(second.bootstrap()).isEqualTo(first.jars().bootstrap());
        try (var entries = Files.list(temporary)) {
            assertThat(entries.map(entry -> entry.getFileName().toString()))
                    .hasSize(2).contains("warden-squatted").anyMatch(entry -> entry.startsWith("warden-private-"));
        }
        try (var planted = Files.list(squatted)) {
            assertThat(planted).as("nothing unpacked where others may write").isEmpty();
        }
    }

    /**
     * Another user may make any number of {@code warden-private-*} directories first, named to sort before this
     * user's: they are passed over, not counted against a bound that would push this user's out of the search and make
     * every start unpack a hundred megabytes anew.
     */
    @Test
    void othersPrivateDirectoriesHoweverManyDoNotHideThisUsersOwn() throws IOException {
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));
        Path squatted = Files.createDirectory(temporary.resolve("warden-squatted"));
        Files.setAttribute(squatted, "unix:mode", 0777);
        Map<String, String> squatting = Map.of("user.name", "squatted", "java.io.tmpdir", temporary.toString());
        Path own = Start.with(squatting).unpack(agentJar()).jars().root();
        // Thousands: a search that looked at the first 64 listed (in the file system's order) missed this user's in
        // about 97 of 100 runs.
        for (int planted = 0; planted < 2000; planted++) {
            Files.setAttribute(Files.createDirectory(temporary.resolve(String.format("warden-private-%04d", planted))),
                    "unix:mode", 0777); // sorts before the JDK's numbered names, and is open to all: not this user's alone
        }

        assertThat(Start.with(squatting).unpack(agentJar()).jars().root()).isEqualTo(own);
    }

    private static String uid() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    }

    /** An unpacking as a start with these system properties does it, and what it said on the standard error. */
    private record Start(Map<String, String> properties) {

        record Unpacked(NestedJars jars, String said) {
        }

        static Start with(Map<String, String> properties) {
            return new Start(properties);
        }

        Unpacked unpack(Path agentJar) throws IOException {
            Map<String, String> before = new HashMap<>();
            properties.keySet().forEach(key -> before.put(key, System.getProperty(key)));
            java.io.PrintStream standardError = System.err;
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            properties.forEach(System::setProperty);
            System.setErr(new java.io.PrintStream(said, true, StandardCharsets.UTF_8));
            try {
                NestedJars jars = NestedJars.unpack(agentJar);
                return new Unpacked(jars, said.toString(StandardCharsets.UTF_8));
            } finally {
                System.setErr(standardError);
                before.forEach((key, value) -> {
                    if (value == null) {
                        System.clearProperty(key);
                    } else {
                        System.setProperty(key, value);
                    }
                });
            }
        }
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
