package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receipts as deployments use them: one writer per directory, per-process chains, another key, a rotation,
 * a prune. A host's log rolls by the real date, so the days before today are written first by the receipt
 * writer itself (with its roll clock), with the same key: the hosts continue that chain today.
 */
@SameOnEveryJdk // receipts as deployments keep them: Warden's writer, keys, rotation and prune
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
        writeEarlierDays(store, 2);

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
        Receipts.Verification whole = store.verify("--allow-rotation-to", workspace.resolve("other.pub.pem").toString());
        // One chain across the rotation, each key for its period (a second writer would have interleaved its own: INVALID).
        assertThat(whole.exitCode()).as(whole.output()).isZero();
        assertThat(whole.output()).contains("NOTE: key rotation receipt ").contains("(accepted: --allow-rotation-to)");
        // A rotation the auditor was not told of: whoever could start the JVM once with rotate-key would own the log.
        Receipts.Verification unannounced = store.verify();
        assertThat(unannounced.exitCode()).as(unannounced.output()).isEqualTo(1);
        assertThat(unannounced.output()).contains("INVALID: key rotation receipt ").contains("which was not given");

        // Retention: the oldest day cut by hand is MISSING; pruned to today's cycle, the log verifies from its first kept receipt.
        Receipts cut = store.copyTo(workspace.resolve("cut"));
        Files.delete(cycleFiles(cut.directory()).get(0));
        Receipts.Verification cutVerified = cut.verify();
        assertThat(cutVerified.exitCode()).as(cutVerified.output()).isEqualTo(1);
        assertThat(cutVerified.output()).contains("MISSING");
        ApproverCli.Result pruned = ApproverCli.cli("prune", "--receipts", receipts.toString(), "--keep-cycles", "1",
                "--key", otherKey.toString());
        assertThat(pruned.exitCode()).as(pruned.output()).isZero();
        assertThat(cycleFiles(receipts)).hasSize(1);
        Receipts.Verification prunedVerified = store.verify("--allow-rotation-to", workspace.resolve("other.pub.pem").toString());
        assertThat(prunedVerified.exitCode()).as(prunedVerified.output()).isZero();
        assertThat(store.all()).as("the pruned days' receipts are gone").noneMatch(receipt -> "earlier".equals(receipt.surface()));

        Path shared = workspace.resolve("shared");
        Path export = workspace.resolve("exported-checkpoints.txt"); // outside the receipts: one file for every chain
        for (String instance : List.of("a", "b")) {
            HostJvm.Result host = HostJvm.withAgent("receipts=" + shared, "key=" + otherKey, "receipts-per-process=true",
                    "instance=" + instance, "checkpoint-export=" + export).withRules("jdbc")
                    .run(JdbcHost.class, List.of(url, "sa", "", QUERY));
            assertThat(host.exitCode()).as(host.stderr()).isZero();
        }
        Receipts chainsStore = store.at(shared).withPublicKey(workspace.resolve("other.pub.pem"));
        Receipts.Verification chains = chainsStore.verify("--expect-at-least", export.toString());
        assertThat(chains.exitCode()).as(chains.output()).isZero();
        assertThat(chains.output()).contains("2 chains, 2 valid, ").contains(" checkpoints known from outside reached");

        // One chain's queue copied in beside the chains: not the only thing checked, but INVALID.
        Receipts planted = chainsStore.copyTo(workspace.resolve("planted"));
        planted.at(planted.directory().resolve("b")).copyTo(planted.directory().resolve("copy-of-b"));
        Files.move(planted.directory().resolve("copy-of-b").resolve("queue"), planted.directory().resolve("queue"));
        Receipts.Verification plantedVerified = planted.verify();
        assertThat(plantedVerified.exitCode()).as(plantedVerified.output()).isEqualTo(1);
        assertThat(plantedVerified.output()).contains("holds a receipts queue of its own and chains in subdirectories");

        // A chain moved away: only the export outside the directory can tell, and it does.
        Receipts oneGone = chainsStore.copyTo(workspace.resolve("one-gone"));
        Files.move(oneGone.directory().resolve("a"), workspace.resolve("a-moved-away"));
        Receipts.Verification oneGoneVerified = oneGone.verify("--expect-at-least", export.toString());
        assertThat(oneGoneVerified.exitCode()).as(oneGoneVerified.output()).isEqualTo(1);
        assertThat(oneGoneVerified.output()).contains("1 chains, 1 valid").contains("no chain here reaches it");

        // Chain a deleted and chain b copied in its place: two chains, each valid on its own (exit 0 before), one chain twice.
        Receipts swapped = chainsStore.copyTo(workspace.resolve("swapped"));
        try (java.util.stream.Stream<Path> files = Files.walk(swapped.directory().resolve("a"))) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        swapped.at(swapped.directory().resolve("b")).copyTo(swapped.directory().resolve("a"));
        Receipts.Verification swappedVerified = swapped.verify();
        assertThat(swappedVerified.exitCode()).as(swappedVerified.output()).isEqualTo(1);
        assertThat(swappedVerified.output()).contains("chain b: INVALID: chain b: holds the same chain as chain a (chain id ",
                "2 chains, 1 valid");

        Path refusedDirectory = workspace.resolve("never");
        HostJvm.Result badConfig = HostJvm.withAgent("receipts=" + refusedDirectory, "mode=enforced").withRules("jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", QUERY));
        assertThat(badConfig.exitCode()).isEqualTo(78);
        assertThat(refusedDirectory).doesNotExist();
    }

    /** Two receipts on each of the {@code days} days before today, a day per cycle file, signed with the store's key. */
    private static void writeEarlierDays(Receipts store, int days) throws Exception {
        PolicyBundle policy = PolicyBundle.load(Receipts.rules("jdbc"));
        for (int day = days; day >= 1; day--) {
            Instant then = Instant.now().minus(Duration.ofDays(day));
            ReceiptLogOptions options = ReceiptLogOptions.defaults(store.directory())
                    .withPrivateKey(Path.of(store.agentArguments()[1].substring("key=".length())))
                    .withRollClock(Clock.fixed(then, ZoneOffset.UTC));
            try (ReceiptLog log = ReceiptLog.open(options)) {
                log.archivePolicy(policy.version(), policy.encoded());
                for (int i = 0; i < 2; i++) {
                    log.append(new ReceiptDraft(UUID.randomUUID().toString(), then.plusSeconds(i), "agent", null, null, "earlier",
                            "work", "day-" + day, "digest-" + day + "-" + i, Map.of(), "PERMIT", true, List.of("earlier"),
                            "written before today", Map.of(), policy.version()));
                }
            }
        }
        assertThat(cycleFiles(store.directory())).hasSize(days);
    }

    /** The queue's cycle files, oldest first. */
    private static List<Path> cycleFiles(Path receipts) throws java.io.IOException {
        try (var files = Files.list(receipts.resolve("queue"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }
}
