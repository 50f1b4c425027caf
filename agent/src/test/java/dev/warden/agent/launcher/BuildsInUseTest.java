package dev.warden.agent.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unpacked builds no running JVM uses are removed, but for the two started most recently within a day; a build another
 * JVM holds is kept until that JVM is gone.
 */
class BuildsInUseTest {

    /** The clean-up's clock: the lock files' times are set against it, never waited for. */
    private static final Instant NOW = Instant.now();

    @TempDir
    Path root;

    /**
     * Another JVM: marks a build in use, says so, and holds it until its standard input closes; or, given {@code
     * clean-up}, removes what no JVM uses two days from now but that build, and says what it removed.
     */
    public static void main(String[] arguments) throws IOException {
        if (arguments.length > 2 && arguments[2].equals("clean-up")) {
            // The reply to the test that started this JVM, on the standard output it reads.
            System.out.println(BuildsInUse.removeUnused(Path.of(arguments[0]), arguments[1],
                    Instant.now().plus(Duration.ofDays(2))));
            return;
        }
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
        lastStarted("unused", NOW.minus(Duration.ofDays(2)));
        Process other = anotherJvmUsing("used");
        try {
            assertThat(BuildsInUse.removeUnused(root, "ours", NOW)).containsExactly("unused");

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
        assertThat(BuildsInUse.removeUnused(root, "ours", NOW)).as("its JVM started it a moment ago").isEmpty();
        assertThat(BuildsInUse.removeUnused(root, "ours", NOW.plus(Duration.ofDays(2)))).as("and no JVM since, for two days")
                .containsExactly("used");
        assertThat(root.resolve("used")).doesNotExist();
    }

    @Test
    void ofTheBuildsNoJvmUsesTheTwoStartedMostRecentlyWithinADayStay() throws Exception {
        build("ours");
        BuildsInUse.use(root, "ours");
        for (String name : List.of("an-hour-ago", "two-hours-ago", "three-hours-ago", "two-days-ago")) {
            build(name);
        }
        lastStarted("an-hour-ago", NOW.minus(Duration.ofHours(1)));
        lastStarted("two-hours-ago", NOW.minus(Duration.ofHours(2)));
        lastStarted("three-hours-ago", NOW.minus(Duration.ofHours(3)));
        lastStarted("two-days-ago", NOW.minus(Duration.ofDays(2)));

        assertThat(BuildsInUse.removeUnused(root, "ours", NOW)).containsExactlyInAnyOrder("three-hours-ago", "two-days-ago");

        assertThat(root.resolve("an-hour-ago").resolve(NestedJars.COMPLETE)).exists();
        assertThat(root.resolve("two-hours-ago").resolve(NestedJars.COMPLETE)).exists();
        assertThat(root.resolve("an-hour-ago" + BuildsInUse.LOCK)).as("unlocked again").exists();
        assertThat(root.resolve("three-hours-ago" + BuildsInUse.STARTED)).as("removed with its build").doesNotExist();
        assertThat(BuildsInUse.removeUnused(root, "ours", NOW.plus(Duration.ofDays(1)))).as("a day on")
                .containsExactlyInAnyOrder("an-hour-ago", "two-hours-ago");
    }

    @Test
    void aJvmStartingABuildSaysWhen() throws Exception {
        build("ours");
        lastStarted("ours", NOW.minus(Duration.ofDays(30)));

        BuildsInUse.use(root, "ours");

        assertThat(Files.getLastModifiedTime(root.resolve("ours" + BuildsInUse.STARTED)).toInstant())
                .isAfter(Instant.now().minus(Duration.ofMinutes(1)));
    }

    /** A JVM started {@code build} at {@code when}, and none since (the time each start sets). */
    private void lastStarted(String build, Instant when) throws IOException {
        for (String file : List.of(build + BuildsInUse.LOCK, build + BuildsInUse.STARTED)) {
            if (!Files.exists(root.resolve(file))) {
                Files.createFile(root.resolve(file));
            }
        }
        Files.setLastModifiedTime(root.resolve(build + BuildsInUse.STARTED), FileTime.from(when));
    }

    /**
     * The operating system's locks belong to the process: a second channel on a lock file this JVM holds, once closed,
     * would release the lock it holds through the first.
     */
    @Test
    void aBuildThisJvmStartsTwiceStaysLockedAgainstOtherJvmsCleanUps() throws Exception {
        build("ours");
        BuildsInUse.use(root, "ours");
        BuildsInUse.use(root, "ours"); // a second start of the launcher in this JVM
        BuildsInUse.removeUnused(root, "another", NOW.plus(Duration.ofDays(2))); // this JVM's own clean-up passes over it

        assertThat(anotherJvmCleaningUp("another")).as("removed by another JVM, two days on").isEqualTo("[]");
        assertThat(root.resolve("ours").resolve(NestedJars.COMPLETE)).exists();
    }

    @Test
    void aBuildThisJvmHoldsStaysLockedWhateverPathItsOwnCleanUpTakes() throws Exception {
        build("ours");
        BuildsInUse.use(root, "ours");
        BuildsInUse.removeUnused(root.resolve("."), "another", NOW.plus(Duration.ofDays(2)));

        assertThat(anotherJvmCleaningUp("another")).as("removed by another JVM, two days on").isEqualTo("[]");
        assertThat(root.resolve("ours").resolve(NestedJars.COMPLETE)).exists();
    }

    private String anotherJvmCleaningUp(String keep) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BuildsInUseTest.class.getName(), root.toString(), keep, "clean-up")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(process.waitFor()).isZero();
        return line;
    }

    @Test
    void aLockFileLeftAsATombstoneIsReplaced() throws Exception {
        Files.writeString(root.resolve("stale" + BuildsInUse.LOCK), "removed\n");

        BuildsInUse.use(root, "stale");

        assertThat(root.resolve("stale" + BuildsInUse.LOCK)).isEmptyFile();
        assertThat(BuildsInUse.removeUnused(root, "other", NOW.plus(Duration.ofDays(2)))).isEmpty(); // this JVM holds it
    }
}
