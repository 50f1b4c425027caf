package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A limit kept across restarts from a snapshot of the state: each start of the host restores what the previous
 * start's replay of the receipt log counted and replays only the receipts recorded after it, and still refuses the
 * insert over the day's limit. A snapshot changed on disk (to forget the count) is not used, with a warning, and the
 * whole log replayed. What reached the database is counted in the database file, outside any host.
 */
@SameOnEveryJdk
class StateSnapshotEndToEndTest {

    private static final String LIMIT = """
            limits:
              - {name: order-inserts, per: actor, max: 3, window: 1d, scopes: ["jdbc:orders:insert"]}
            """;

    @TempDir
    Path workspace;

    @Test
    void aLimitHoldsAcrossRestartsFromTheSnapshotAndAChangedSnapshotForgetsNothing() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path rules = rulesWithTheLimit();
        Path cache = workspace.resolve("cache");

        HostJvm.Result first = host(store, rules, cache, url, "INSERT INTO orders VALUES (1001, 1, 5)",
                "INSERT INTO orders VALUES (1002, 1, 5)");
        assertThat(first.step(0)).as(first.toString()).startsWith("OK step=0 updated=1");
        assertThat(first.step(1)).startsWith("OK step=1 updated=1");
        assertThat(first.stderr()).doesNotContain("state restored");

        HostJvm.Result second = host(store, rules, cache, url, "INSERT INTO orders VALUES (1003, 1, 5)");
        assertThat(second.step(0)).as(second.toString()).startsWith("OK step=0 updated=1");
        assertThat(snapshots(cache)).as("kept by the second start, of the first run").hasSize(1);

        HostJvm.Result third = host(store, rules, cache, url, "INSERT INTO orders VALUES (1004, 1, 5)");
        assertThat(third.stderr()).as(third.toString()).containsPattern("state restored from a snapshot of the first \\d+ receipts; "
                + "\\d+ replayed after it");
        assertThat(third.step(0)).startsWith("DENIED step=0").contains("limit order-inserts: 4 > 3 today for actor");

        // The count forgotten in the snapshot: without the cache's key its MAC cannot be made again.
        Path snapshot = snapshots(cache).get(0);
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length - 12] ^= 0x7f;
        Files.write(snapshot, bytes);
        HostJvm.Result fourth = host(store, rules, cache, url, "INSERT INTO orders VALUES (1005, 1, 5)");
        assertThat(fourth.stderr()).as(fourth.toString()).contains("warden: WARNING: the state snapshot ")
                .contains("is not used (its MAC does not match what it holds");
        assertThat(fourth.step(0)).startsWith("DENIED step=0").contains("limit order-inserts: 4 > 3 today for actor");

        assertThat(ordersAdded(url)).as("rows in the database file").isEqualTo(3);
        assertThat(store.all()).filteredOn(receipt -> receipt.rules().contains("limit:order-inserts")).hasSize(2);
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * A host that runs on: Warden's keeper brings the snapshot forward while it runs (every second here), so the next
     * start restores it although no start before kept one (the first start's log was empty), and the limit still holds.
     */
    @Test
    void theSnapshotIsBroughtForwardWhileTheHostRunsAndTheNextStartRestoresIt() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path rules = rulesWithTheLimit();
        Path cache = Files.createDirectories(workspace.resolve("cache"));

        // The control: the same run without the keeper keeps no snapshot (its start's replay found nothing to keep).
        String controlUrl = "jdbc:h2:file:" + workspace.resolve("control-shop");
        Fixtures.createShop(controlUrl, "sa", "");
        Path controlCache = Files.createDirectories(workspace.resolve("control-cache"));
        HostJvm.Result control = HostJvm.withAgent(store.at(workspace.resolve("control-receipts")).agentArguments())
                .with("rules=" + rules).with("cache=" + controlCache).with("state-snapshot-interval=0")
                .run(JdbcHost.class, List.of(controlUrl, "sa", "", "update:INSERT INTO orders VALUES (1001, 1, 5)",
                        "update:INSERT INTO orders VALUES (1002, 1, 5)"));
        assertThat(control.step(1)).as(control.toString()).startsWith("OK step=1 updated=1");
        assertThat(snapshots(controlCache)).as("no snapshot without the keeper").isEmpty();

        HostJvm.Running running;
        try (WatchService watch = cache.getFileSystem().newWatchService()) {
            cache.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            running = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("cache=" + cache)
                    .with("state-snapshot-interval=1000").errorsTo(workspace.resolve("first.err"))
                    .start(JdbcHost.class, List.of(url, "sa", "", "update:INSERT INTO orders VALUES (1001, 1, 5)",
                            "update:INSERT INTO orders VALUES (1002, 1, 5)", "hold:-"));
            running.awaitLine("OK step=1 updated=1");
            assertThat(awaitSnapshot(watch, cache)).as("kept while the host runs").isTrue();
        }
        assertThat(running.release()).isZero();
        assertThat(Files.readString(workspace.resolve("first.err"))).doesNotContain("state restored").doesNotContain("warden: WARNING");

        HostJvm.Result second = host(store, rules, cache, url, "INSERT INTO orders VALUES (1003, 1, 5)",
                "INSERT INTO orders VALUES (1004, 1, 5)");
        java.util.regex.Matcher restored = java.util.regex.Pattern.compile(
                "state restored from a snapshot of the first (\\d+) receipts; (\\d+) replayed after it").matcher(second.stderr());
        assertThat(restored.find()).as(second.toString()).isTrue();
        long first = store.all().stream().filter(receipt -> "jdbc".equals(receipt.surface())).count() - 2; // not this run's
        assertThat(Long.parseLong(restored.group(1))).as("of the first run's receipts, the snapshot holds").isPositive();
        assertThat(Long.parseLong(restored.group(1)) + Long.parseLong(restored.group(2))).as("and the rest are replayed")
                .isGreaterThanOrEqualTo(first);
        assertThat(second.step(0)).startsWith("OK step=0 updated=1");
        assertThat(second.step(1)).startsWith("DENIED step=1").contains("limit order-inserts: 4 > 3 today for actor");
        assertThat(ordersAdded(url)).as("rows in the database file").isEqualTo(3);
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * A clock put back (a host whose clock ran ten minutes fast, then set right) does not start a window again: the
     * counts of a start whose receipts are newer than the clock still count, restored from the snapshot or replayed
     * from the log, as Redis counts buckets newer than its caller's clock. Warden's time is a file the test writes.
     */
    @Test
    void aClockPutBackDoesNotStartTheWindowAgain() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path rules = rulesWithTheLimit();
        Files.writeString(rules.resolve("limits.yaml"), """
                limits:
                  - {name: order-inserts, per: actor, max: 3, window: 1h, scopes: ["jdbc:orders:insert"]}
                """);
        Path cache = workspace.resolve("cache");
        Path clock = workspace.resolve("clock.txt");
        Instant fast = Instant.parse("2026-12-07T10:10:00Z");

        Files.writeString(clock, fast.toString());
        HostJvm.Result first = host(store, rules, cache, clock, url, "INSERT INTO orders VALUES (1001, 1, 5)",
                "INSERT INTO orders VALUES (1002, 1, 5)", "INSERT INTO orders VALUES (1003, 1, 5)",
                "INSERT INTO orders VALUES (1004, 1, 5)");
        assertThat(first.step(2)).as(first.toString()).startsWith("OK step=2 updated=1");
        assertThat(first.step(3)).startsWith("DENIED step=3").contains("limit order-inserts: 4 > 3 in 1h for actor");

        Files.writeString(clock, fast.minus(Duration.ofMinutes(10)).toString());
        HostJvm.Result replayed = host(store, rules, cache, clock, url, "INSERT INTO orders VALUES (1005, 1, 5)");
        HostJvm.Result restored = host(store, rules, cache, clock, url, "INSERT INTO orders VALUES (1006, 1, 5)");
        assertThat(ordersAdded(url)).as("rows in the database file\n" + replayed + "\n" + restored).isEqualTo(3);
        assertThat(replayed.step(0)).as(replayed.toString()).startsWith("DENIED step=0")
                .contains("limit order-inserts: 4 > 3 in 1h for actor");
        assertThat(restored.stderr()).as(restored.toString()).contains("state restored from a snapshot");
        assertThat(restored.step(0)).startsWith("DENIED step=0").contains("limit order-inserts: 4 > 3 in 1h for actor");

        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /** Whether a snapshot appears in {@code cache}, told by the file system, within a minute. */
    private static boolean awaitSnapshot(WatchService watch, Path cache) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (snapshots(cache).isEmpty()) {
            long left = deadline - System.nanoTime();
            WatchKey key = left > 0 ? watch.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS) : null;
            if (key == null) {
                return false;
            }
            key.pollEvents();
            key.reset();
        }
        return true;
    }

    private Path rulesWithTheLimit() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        try (Stream<Path> pack = Files.list(Receipts.rules("jdbc"))) {
            for (Path file : pack.toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }
        Files.writeString(rules.resolve("limits.yaml"), LIMIT);
        return rules;
    }

    private static HostJvm.Result host(Receipts store, Path rules, Path cache, String url, String... inserts) throws Exception {
        List<String> arguments = new java.util.ArrayList<>(List.of(url, "sa", ""));
        for (String insert : inserts) {
            arguments.add("update:" + insert);
        }
        return HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("cache=" + cache)
                .run(JdbcHost.class, arguments);
    }

    private static HostJvm.Result host(Receipts store, Path rules, Path cache, Path clock, String url, String... inserts)
            throws Exception {
        List<String> arguments = new java.util.ArrayList<>(List.of(url, "sa", ""));
        for (String insert : inserts) {
            arguments.add("update:" + insert);
        }
        return HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("cache=" + cache)
                .with("clock=file:" + clock).run(JdbcHost.class, arguments);
    }

    private static List<Path> snapshots(Path cache) throws Exception {
        try (Stream<Path> entries = Files.list(cache)) {
            return entries.filter(entry -> entry.getFileName().toString().endsWith(".state")).toList();
        }
    }

    private static int ordersAdded(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM orders WHERE id > 1000")) {
            count.next();
            return count.getInt(1);
        }
    }
}
