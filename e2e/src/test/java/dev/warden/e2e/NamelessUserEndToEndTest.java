package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container that runs as a user id without a passwd entry (OpenShift's arbitrary ids, say): the JVM names that user
 * "?" ({@code user.name}), while the files it creates are named by the id. Warden's unpacked jars and its cache of
 * compiled policies and JDK classes are that user's all the same, so the second start reuses what the first made,
 * instead of unpacking a hundred megabytes into a new directory, never removed, and compiling the rules at every start.
 */
class NamelessUserEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void theSecondStartReusesTheUnpackedJarsAndTheCacheTheFirstMade() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));
        List<String> steps = List.of(url, "sa", "", "prepared:SELECT * FROM orders WHERE id = ?|1", "update:DELETE FROM orders");

        Receipts firstStore = Receipts.in(workspace);
        Receipts secondStore = firstStore.at(workspace.resolve("second-receipts"));
        HostJvm.Result first = start(temporary, firstStore, steps);
        HostJvm.Result second = start(temporary, secondStore, steps);

        assertThat(first.stderr()).as(first.toString()).contains(", compiled)");
        assertThat(second.stderr()).as(second.toString())
                .contains(", from cache)").containsPattern("of the JDK classes loaded before, [1-9][0-9]* as transformed before")
                .doesNotContain("warden: WARNING");
        for (HostJvm.Result result : List.of(first, second)) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).as(result.toString()).contains("OK step=0 rows=1").contains("DENIED step=1 ");
        }
        // Named by the user id: two ids without names that share a temporary directory would share "warden-?".
        String uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
        try (var entries = Files.list(temporary)) {
            assertThat(entries.map(entry -> entry.getFileName().toString())).as("one directory of Warden's, reused")
                    .containsExactly("warden-" + uid);
        }
        for (Receipts store : List.of(firstStore, secondStore)) {
            Receipts.Verification verification = store.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    private HostJvm.Result start(Path temporary, Receipts store, List<String> steps) throws Exception {
        return HostJvm.withAgent(store.agentArguments()).with("cache=default").withRules("jdbc")
                .jvm("-Duser.name=?").jvm("-Djava.io.tmpdir=" + temporary).run(JdbcHost.class, steps);
    }
}
