package dev.warden.agent.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where Warden's jars are unpacked: a directory no other user could put jars of theirs in, the same start after start. */
class UnpackRootTest {

    @TempDir
    Path workspace;

    /**
     * A container's user id without a passwd entry: the JVM names it "?", and its files are named by number. Its own
     * directory is named by that number (two such ids would share the name "?"), and is its own all the same, so later
     * starts choose it again.
     */
    @Test
    void aUserTheJvmCannotNameGetsADirectoryNamedByItsIdThatLaterStartsChooseAgain() throws IOException {
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));
        Map<String, String> nameless = Map.of("user.name", "?", "java.io.tmpdir", temporary.toString());

        UnpackRoot first = chosenWith(nameless);
        UnpackRoot second = chosenWith(nameless);

        assertThat(first.directory()).isEqualTo(temporary.toRealPath().resolve("warden-" + uid()));
        assertThat(first.warnings()).isEmpty();
        assertThat(second).isEqualTo(first);
        try (var entries = Files.list(temporary)) {
            assertThat(entries.map(entry -> entry.getFileName().toString())).containsExactly("warden-" + uid());
        }
    }

    /** A user name that is a path would put Warden's directory elsewhere: the user id names it instead. */
    @Test
    void aUserNameThatIsAPathIsNotUsedAsOne() throws IOException {
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));

        UnpackRoot root = chosenWith(Map.of("user.name", "../elsewhere", "java.io.tmpdir", temporary.toString()));

        assertThat(root.directory()).isEqualTo(temporary.toRealPath().resolve("warden-" + uid()));
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
                UnpackRoot root = chosenWith(Map.of("java.io.tmpdir", unsafe.toString()));

                assertThat(root.warnings()).singleElement().asString().startsWith("java.io.tmpdir " + unsafe.toRealPath()
                        + " is not safe for Warden's jars: others may write in " + open.toRealPath() + " without the sticky bit");
                assertThat(root.directory().getParent()).isEqualTo(unsafe.toRealPath());
            }
            UnpackRoot root = chosenWith(Map.of("java.io.tmpdir", sticky.toString()));

            assertThat(root.warnings()).isEmpty();
            assertThat(root.directory().getParent()).isEqualTo(sticky.toRealPath());
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
            UnpackRoot throughIntoSafe = chosenWith(Map.of("java.io.tmpdir", intoSafe.toString()));
            assertThat(throughIntoSafe.warnings()).isEmpty();
            assertThat(throughIntoSafe.directory().getParent()).isEqualTo(safe.toRealPath());

            UnpackRoot throughIntoOpen = chosenWith(Map.of("java.io.tmpdir", intoOpen.toString()));
            assertThat(throughIntoOpen.warnings()).singleElement().asString()
                    .startsWith("java.io.tmpdir " + open.toRealPath() + " is not safe for Warden's jars");
            assertThat(throughIntoOpen.directory().getParent()).isEqualTo(open.toRealPath());
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
        Files.setAttribute(squatted, "unix:mode", 0777);
        Map<String, String> squatting = Map.of("user.name", "squatted", "java.io.tmpdir", temporary.toString());

        UnpackRoot first = chosenWith(squatting);
        UnpackRoot second = chosenWith(squatting);

        assertThat(first.directory().getFileName().toString()).startsWith("warden-private-");
        assertThat(first.warnings()).containsExactly(temporary.toRealPath().resolve("warden-squatted")
                + " is not this user's alone; Warden's jars are unpacked in " + first.directory() + " instead");
        assertThat(second).isEqualTo(first);
        try (var entries = Files.list(temporary)) {
            assertThat(entries.map(entry -> entry.getFileName().toString()))
                    .hasSize(2).contains("warden-squatted").anyMatch(entry -> entry.startsWith("warden-private-"));
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
        Files.setAttribute(Files.createDirectory(temporary.resolve("warden-squatted")), "unix:mode", 0777);
        Map<String, String> squatting = Map.of("user.name", "squatted", "java.io.tmpdir", temporary.toString());
        Path own = chosenWith(squatting).directory();
        // Thousands: a search that looked at the first 64 listed (in the file system's order) missed this user's in
        // about 97 of 100 runs.
        for (int planted = 0; planted < 2000; planted++) {
            Files.setAttribute(Files.createDirectory(temporary.resolve(String.format("warden-private-%04d", planted))),
                    "unix:mode", 0777); // sorts before the JDK's numbered names, and is open to all: not this user's alone
        }

        assertThat(chosenWith(squatting).directory()).isEqualTo(own);
    }

    private static String uid() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    }

    /** The choice a start with these system properties makes. */
    private static UnpackRoot chosenWith(Map<String, String> properties) throws IOException {
        Map<String, String> before = new HashMap<>();
        properties.keySet().forEach(key -> before.put(key, System.getProperty(key)));
        properties.forEach(System::setProperty);
        try {
            return UnpackRoot.choose();
        } finally {
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
