package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code $TMPDIR/warden-$USER} made first by somebody else, or open to others (anyone may create it in a shared
 * {@code /tmp}): Warden never unpacks its jars there, where another user could plant classes. Each start says so and
 * unpacks into a private directory of this user's, the same one start after start, instead of leaving a hundred
 * megabytes behind at each, and keeps its cache of compiled policies there too.
 */
@SameOnEveryJdk // where Warden's launcher unpacks, told by the file system's owners and modes
class SquattedTemporaryDirectoryEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void startsPassOverTheSquattedDirectoryAndShareOnePrivateDirectory() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));
        Path squatted = Files.createDirectory(temporary.resolve("warden-squatted"));
        Files.setPosixFilePermissions(squatted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Receipts store = Receipts.in(workspace);
        List<String> steps = List.of(url, "sa", "", "prepared:SELECT * FROM orders WHERE id = ?|1", "update:DELETE FROM orders");

        for (int start = 1; start <= 2; start++) {
            HostJvm.Result result = HostJvm.withAgent(store.agentArguments()).with("cache=default").withRules("jdbc")
                    .jvm("-Duser.name=squatted").jvm("-Djava.io.tmpdir=" + temporary).run(JdbcHost.class, steps);

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stderr()).as(result.toString())
                    .contains("warden: WARNING: " + squatted.toRealPath() + " is not this user's alone; Warden's jars are unpacked in "
                            + temporary.toRealPath().resolve("warden-private-"))
                    // The default cache is in the private directory: the second start uses what the first kept.
                    .contains(start == 1 ? ", compiled)" : ", from cache)")
                    .doesNotContain("not cached", "where another user could put a directory of theirs in its place");
            assertThat(result.stdout()).as(result.toString()).contains("OK step=0 rows=1").contains("DENIED step=1 ");
        }
        try (var entries = Files.list(temporary)) {
            assertThat(entries.map(entry -> entry.getFileName().toString())).as("one private directory, reused")
                    .hasSize(2).contains("warden-squatted").anyMatch(entry -> entry.startsWith("warden-private-"));
        }
        try (var planted = Files.list(squatted)) {
            assertThat(planted).as("nothing unpacked where others may write").isEmpty();
        }
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * A {@code java.io.tmpdir} below a directory anyone may write without the sticky bit (as a Kubernetes
     * {@code emptyDir} is): there is no safer place for the jars, so the host runs, warned at every start. The cache
     * beside them is kept all the same (whoever could swap it could swap the jars): the second start is warm.
     */
    @Test
    void aTemporaryDirectoryOthersMayRenameInIsWarnedOfAndStillWarm() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Path open = Files.createDirectories(workspace.resolve("open"));
        Path temporary = Files.createDirectories(open.resolve("tmp"));
        Files.setAttribute(open, "unix:mode", 0777); // no sticky bit: anyone may rename what is in it
        Receipts store = Receipts.in(workspace);
        try {
            for (int start = 1; start <= 2; start++) {
                HostJvm.Result result = HostJvm.withAgent(store.agentArguments()).with("cache=default").withRules("jdbc")
                        .jvm("-Djava.io.tmpdir=" + temporary)
                        .run(JdbcHost.class, List.of(url, "sa", "", "prepared:SELECT * FROM orders WHERE id = ?|1"));

                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertThat(result.stderr()).as(result.toString())
                        .contains("warden: WARNING: java.io.tmpdir " + temporary.toRealPath() + " is not safe for Warden's"
                                + " jars: others may write in " + open.toRealPath() + " without the sticky bit")
                        .contains(start == 1 ? ", compiled)" : ", from cache)")
                        .doesNotContain("not cached", "where another user could put a directory of theirs in its place");
                assertThat(result.stdout()).as(result.toString()).contains("OK step=0 rows=1");
            }
            // Said through Warden's logger, once the configuration is read: log=off silences it with the rest.
            HostJvm.Result silent = HostJvm.withAgent(store.agentArguments()).with("cache=default").with("log=off")
                    .withRules("jdbc").jvm("-Djava.io.tmpdir=" + temporary)
                    .run(JdbcHost.class, List.of(url, "sa", "", "prepared:SELECT * FROM orders WHERE id = ?|1"));
            assertThat(silent.exitCode()).as(silent.toString()).isZero();
            assertThat(silent.stderr()).as(silent.toString()).doesNotContain("warden:");
        } finally {
            Files.setAttribute(open, "unix:mode", 0700);
        }
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
