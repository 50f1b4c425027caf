package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Ed25519Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Receipts as deployments use them: one writer per directory, per-process chains, another key, a rotation. */
class DeploymentEndToEndTest {
    private static final String QUERY = "prepared:SELECT * FROM orders WHERE id = ?|1";

    @TempDir
    Path workspace;

    @Test
    void oneWriterPerDirectoryKeysThatMatchTheLogAndChainsPerProcess() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path receipts = store.directory();

        HostJvm.Running first = HostJvm.withAgent(store.agentArguments()).withRules("jdbc")
                .start(JdbcHost.class, List.of(url, "sa", "", QUERY, "hold:-", QUERY));
        first.awaitLine("OK step=1 holding");
        HostJvm.Result second = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").run(JdbcHost.class, List.of(url, "sa", "", QUERY));
        assertThat(first.release()).isZero();
        assertThat(store.all()).as("the first host's two queries, none of the refused one's")
                .filteredOn(receipt -> "jdbc".equals(receipt.surface())).hasSize(2);
        assertThat(second.exitCode()).as(second.stderr()).isEqualTo(78);
        assertThat(second.stderr()).contains("is being written by another process: pid " + first.process().pid() + " since ");
        assertThat(second.stdout()).doesNotContain("OK");

        Path otherKey = workspace.resolve("other.pem");
        Ed25519Keys.generate(otherKey, workspace.resolve("other.pub.pem"));
        HostJvm.Result anotherKey = HostJvm.withAgent("receipts=" + receipts, "key=" + otherKey).withRules("jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", QUERY));
        assertThat(anotherKey.exitCode()).as(anotherKey.stderr()).isEqualTo(78);
        assertThat(anotherKey.stderr()).contains("signed by another key");

        // An explicit rotation; an unrelated WARDEN_HOME in the environment is none of Warden's business.
        HostJvm.Result rotated = HostJvm.withAgent("receipts=" + receipts, "key=" + otherKey,
                        "rotate-key=" + store.agentArguments()[1].substring("key=".length())).withRules("jdbc")
                .env("WARDEN_HOME", "/opt/somewhere").run(JdbcHost.class, List.of(url, "sa", "", QUERY));
        assertThat(rotated.exitCode()).as(rotated.stderr()).isZero();
        Receipts.Verification whole = store.verify();
        // One chain across the rotation, each key for its period (a second writer would have interleaved its own: INVALID).
        assertThat(whole.exitCode()).as(whole.output()).isZero();

        Path shared = workspace.resolve("shared");
        for (String instance : List.of("a", "b")) {
            HostJvm.Result host = HostJvm.withAgent("receipts=" + shared, "key=" + otherKey, "receipts-per-process=true",
                    "instance=" + instance).withRules("jdbc").run(JdbcHost.class, List.of(url, "sa", "", QUERY));
            assertThat(host.exitCode()).as(host.stderr()).isZero();
        }
        Receipts.Verification chains = store.at(shared).withPublicKey(workspace.resolve("other.pub.pem")).verify();
        assertThat(chains.exitCode()).as(chains.output()).isZero();
        assertThat(chains.output()).contains("2 chains, 2 valid");

        Path refusedDirectory = workspace.resolve("never");
        HostJvm.Result badConfig = HostJvm.withAgent("receipts=" + refusedDirectory, "mode=enforced").withRules("jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", QUERY));
        assertThat(badConfig.exitCode()).isEqualTo(78);
        assertThat(refusedDirectory).doesNotExist();
    }
}
