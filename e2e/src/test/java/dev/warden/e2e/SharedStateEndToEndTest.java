package dev.warden.e2e;

import dev.warden.agent.config.StateLocation;
import dev.warden.agent.context.RedisKeys;
import dev.warden.agent.context.RedisServer;
import dev.warden.e2e.host.StatementBurstHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S6 across JVMs, and S10 for the state store: host JVMs with only {@code -javaagent}, their limits
 * in Redis ({@code state=redis://...}). Two hosts share one limit exactly; a Redis that stops refuses
 * the actions that need it, naming it, and the host goes on; when it is back, decisions resume. The
 * hosts gate every surface under a policy that permits no socket connect: Warden's own connection
 * to Redis is not the application's, and is never decided.
 */
@SameOnEveryJdk
@Isolated // the shared Redis, and stops a Redis of its own
class SharedStateEndToEndTest {

    private static final StateLocation SHARED = new StateLocation("127.0.0.1", 6379, 0);
    /** The port of the redis-server this test stops and starts; never the shared one. */
    private static final int OWN_PORT = 6390;

    @TempDir
    Path workspace;

    /** Every run counts under an actor of its own, so runs never share a count. */
    private final String actor = "e2e-" + UUID.randomUUID();
    private final List<HostJvm.Running> hosts = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (HostJvm.Running host : hosts) {
            host.killHard();
        }
        RedisKeys.delete(SHARED, limitKey());
        RedisKeys.delete(SHARED, "warden:limit:order-inserts:actor:" + actor);
    }

    @Test
    void twoHostsSharingRedisPermitExactlyTheLimitBetweenThem() throws Exception {
        Receipts first = Receipts.in(Files.createDirectories(workspace.resolve("first")));
        Receipts second = Receipts.in(Files.createDirectories(workspace.resolve("second")));
        // A timeout far above the default: on a busy machine an answer slower than 50 ms refuses its
        // action (and may leave its unit counted), and this test is about atomicity, not timeouts.
        HostJvm.Running one = start(first, "state=redis://127.0.0.1:6379", workspace.resolve("first.err"), "state-timeout=5000");
        HostJvm.Running two = start(second, "state=redis://127.0.0.1:6379", workspace.resolve("second.err"), "state-timeout=5000");
        one.awaitLine("READY");
        two.awaitLine("READY");

        // Both bursts are under way before either host hears back: 160 statements race for 100.
        tell(one, "burst 80");
        tell(two, "burst 80");
        List<String> seenByOne = until(one, "BURST");
        List<String> seenByTwo = until(two, "BURST");
        List<String> all = new ArrayList<>(seenByOne);
        all.addAll(seenByTwo);

        assertThat(all.stream().filter(line -> line.startsWith("OK ")).count()).as(String.join("\n", all)).isEqualTo(100);
        assertThat(all.stream().filter(line -> line.startsWith("DENIED ")).count()).isEqualTo(60);
        assertThat(all).filteredOn(line -> line.startsWith("DENIED ")).allSatisfy(line -> assertThat(line)
                .contains("message=warden: denied by limit:ops-per-minute: limit ops-per-minute: 101 > 100 in 1m for actor " + actor));
        assertThat(seenByOne).as("each host got part of the limit").anyMatch(line -> line.startsWith("OK "));
        assertThat(seenByTwo).as("each host got part of the limit").anyMatch(line -> line.startsWith("OK "));

        // The application's own sockets are refused (no rule permits a connect), Warden's are not decided.
        tell(one, "connect 127.0.0.1 5432");
        assertThat(one.awaitLine("CONNECT")).startsWith("CONNECT-FAILED message=warden: denied");

        // Redis itself, asked apart from the hosts: 100 counted, no more.
        try (Jedis redis = new Jedis(SHARED.host(), SHARED.port())) {
            assertThat(redis.hvals(limitKey()).stream().mapToLong(Long::parseLong).sum()).isEqualTo(100);
        }
        quit(one);
        quit(two);

        List<Receipt> receipts = new ArrayList<>(first.all());
        receipts.addAll(second.all());
        List<Receipt> statements = receipts.stream().filter(r -> r.surface().equals("jdbc")).toList();
        assertThat(statements).filteredOn(r -> r.draft().outcome().equals("PERMIT")).hasSize(100)
                .allSatisfy(r -> assertThat(r.draft().summary().get("state.limits")).matches("ops-per-minute [0-9]+ of 100 in 1m"));
        List<Receipt> denied = statements.stream().filter(r -> r.draft().outcome().equals("DENY")).toList();
        assertThat(Receipts.decisions(denied)).as("each refusal, counted when repeated").isEqualTo(60);
        assertThat(denied).allSatisfy(r -> assertThat(r.draft().summary()).containsEntry("state.limits", "ops-per-minute 101 of 100 in 1m (refused)"));
        assertThat(receipts).as("Warden's own connection to Redis is never an action").noneMatch(r -> r.draft().target().contains("6379")
                || r.draft().summary().values().stream().anyMatch(value -> value.contains("6379")));
        assertThat(receipts).filteredOn(r -> r.surface().equals("net")).as("the application's one connect, and nothing else")
                .singleElement().satisfies(r -> assertThat(r.draft().summary()).containsEntry("net.port", "5432"));
        for (Receipts log : List.of(first, second)) {
            Receipts.Verification verified = log.verify();
            assertThat(verified.exitCode()).as(verified.output()).isZero();
        }
    }

    /**
     * Each JVM computes its window's buckets with its own clock: one whose clock was two minutes ahead dropped the other's
     * buckets as too old and inserted the whole limit again (6 rows of a limit of 3 in the database file). Now it compares
     * the store's clock with its own and refuses what counts in a window while they differ, naming the difference.
     */
    @Test
    void aHostWhoseClockIsAWindowAheadOfTheStoresTakesNoSecondLimit() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        try (java.util.stream.Stream<Path> pack = Files.list(Receipts.rules("jdbc"))) {
            for (Path file : pack.toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }
        Files.writeString(rules.resolve("limits.yaml"), """
                limits:
                  - {name: order-inserts, per: actor, max: 3, window: 1m, scopes: ["jdbc:orders:insert"]}
                """);
        Path clock = workspace.resolve("clock.txt");
        Files.writeString(clock, java.time.Instant.now().plus(java.time.Duration.ofMinutes(2)).toString());
        Receipts onTime = Receipts.in(Files.createDirectories(workspace.resolve("on-time")));
        Receipts ahead = Receipts.in(Files.createDirectories(workspace.resolve("ahead")));

        HostJvm.Result first = inserts(onTime, rules, url, null, 1001);
        assertThat(first.stdout().lines().filter(line -> line.startsWith("OK ")).count()).as(first.toString()).isEqualTo(3);
        HostJvm.Result second = inserts(ahead, rules, url, clock, 1101);

        assertThat(ordersAdded(url)).as("rows in the database file: the limit is 3 a minute\n" + second).isEqualTo(3);
        assertThat(second.stdout().lines().filter(line -> line.startsWith("DENIED "))).as(second.toString()).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("warden.fail-closed: state store redis://127.0.0.1:6379 could not answer: "
                        + "its clock is ").contains(" behind this JVM's"));
        assertThat(second.stderr()).contains("warden: WARNING: state store redis://127.0.0.1:6379: its clock is ");
        for (Receipts log : List.of(onTime, ahead)) {
            Receipts.Verification verified = log.verify();
            assertThat(verified.exitCode()).as(verified.output()).isZero();
        }
    }

    private HostJvm.Result inserts(Receipts receipts, Path rules, String url, Path clock, int firstId) throws Exception {
        HostJvm host = HostJvm.withAgent(receipts.agentArguments()).with("rules=" + rules).with("state=redis://127.0.0.1:6379")
                .with("state-timeout=5000").with("actor=" + actor);
        if (clock != null) {
            host = host.with("clock=file:" + clock);
        }
        List<String> arguments = new ArrayList<>(List.of(url, "sa", ""));
        for (int id = firstId; id < firstId + 3; id++) {
            arguments.add("update:INSERT INTO orders VALUES (" + id + ", 1, 5)");
        }
        return host.run(dev.warden.e2e.host.JdbcHost.class, arguments);
    }

    private static int ordersAdded(String url) throws Exception {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM orders WHERE id > 1000")) {
            count.next();
            return count.getInt(1);
        }
    }

    @Test
    void unitsALargeLimitLeasedAndDidNotUseAreGivenBackWhenTheJvmExits() throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("leasing")));
        HostJvm.Running host = start(store, "state=redis://127.0.0.1:6379", workspace.resolve("leasing.err"), "state-timeout=5000",
                "shared-large-limit");
        host.awaitLine("READY");

        tell(host, "burst 3");
        assertThat(until(host, "BURST")).filteredOn(line -> line.startsWith("OK ")).hasSize(3);
        assertThat(counted()).as("a slice of the limit leased, more than was used").isGreaterThan(3);

        quit(host);
        assertThat(counted()).as("what the slice did not use, given back at exit").isEqualTo(3);
        assertThat(store.verify().exitCode()).as(store.verify().output()).isZero();
    }

    /** What Redis counts for this test's limit, asked apart from the hosts. */
    private long counted() {
        try (Jedis redis = new Jedis(SHARED.host(), SHARED.port())) {
            return redis.hvals(limitKey()).stream().mapToLong(Long::parseLong).sum();
        }
    }

    @Test
    void whileRedisIsDownTheActionsThatNeedItAreRefusedNamingItAndWhenItIsBackDecisionsResume() throws Exception {
        Receipts receipts = Receipts.in(workspace);
        Path errors = workspace.resolve("host.err");
        try (RedisServer redis = RedisServer.stopped(OWN_PORT)) {
            // Redis is not up yet when the host starts: the host starts all the same.
            // Refused here means refused connections, at once; the timeout only keeps a busy machine's
            // slow answers from refusing the statements that must run.
            HostJvm.Running host = start(receipts, "state=redis://127.0.0.1:" + OWN_PORT, errors, "state-timeout=1000");
            host.awaitLine("READY");
            assertRefusedNamingTheStore(host);

            redis.start();
            tell(host, "burst 10");
            assertThat(until(host, "BURST")).last().isEqualTo("BURST permitted=10 denied=0 errors=0");

            redis.stop();
            assertRefusedNamingTheStore(host);

            redis.start();
            tell(host, "burst 10");
            assertThat(until(host, "BURST")).as("a new, empty Redis: counting starts again")
                    .last().isEqualTo("BURST permitted=10 denied=0 errors=0");
            quit(host);
        }

        List<String> said = Files.readAllLines(errors, StandardCharsets.UTF_8);
        assertThat(said).as("said once per outage").filteredOn(line -> line.contains("does not answer")).hasSize(2)
                .allSatisfy(line -> assertThat(line).startsWith("warden: WARNING: state store redis://127.0.0.1:" + OWN_PORT
                        + " does not answer (").endsWith("): the actions that need state are refused until it does"));
        assertThat(said).filteredOn(line -> line.contains("answers again")).hasSize(2);
        assertThat(said).as("the client's logging prints nothing on the host's stderr").noneMatch(line -> line.contains("SLF4J"));
        List<Receipt> statements = receipts.all().stream().filter(r -> r.surface().equals("jdbc")).toList();
        List<Receipt> denied = statements.stream().filter(r -> r.draft().outcome().equals("DENY")).toList();
        assertThat(Receipts.decisions(denied)).as("each refusal, counted when repeated").isEqualTo(20);
        assertThat(denied).allSatisfy(r -> {
                    assertThat(r.draft().rules()).containsExactly("warden.fail-closed");
                    assertThat(r.draft().reason()).startsWith("state store redis://127.0.0.1:" + OWN_PORT + " could not answer: ");
                });
        assertThat(statements).filteredOn(r -> r.draft().outcome().equals("PERMIT")).hasSize(20);
        Receipts.Verification verified = receipts.verify();
        assertThat(verified.exitCode()).as(verified.output()).isZero();
    }

    /**
     * A chain's label is the session's before its action runs: a store that cannot record it refuses the action, as it
     * refuses any action that needs it, so that a change of customer data made while Redis is down cannot leave its
     * session free to add an order once Redis is back. The database counts what ran.
     */
    @Test
    void anActionWhoseLabelTheStoreCannotRecordIsRefusedSoNoChainIsLeftBehind() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        try (java.util.stream.Stream<Path> pack = Files.list(Receipts.rules("jdbc"))) {
            for (Path file : pack.toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }
        Files.writeString(rules.resolve("customers.drl"), """
                package rules.jdbc;
                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;
                rule "a customer's country may be changed"
                when
                    Action(surface == "jdbc", operation == "UPDATE", targetsWithin("customers"))
                then
                    verdict.permit("a customer's country may be changed");
                end
                """);
        Files.writeString(rules.resolve("chains.yaml"), """
                chains:
                  - {name: no-orders-after-pii, after: [label:pii], deny: ["jdbc:orders:insert"]}
                """);
        Receipts receipts = Receipts.in(workspace);
        String change = "update:UPDATE customers SET country = 'ZZ' WHERE id = 1";
        String order = "update:INSERT INTO orders VALUES (1001, 1, 5)";
        HostJvm.Result down;
        HostJvm.Result up;
        try (RedisServer redis = RedisServer.stopped(OWN_PORT)) {
            down = jdbc(receipts, rules, url, change);
            redis.start();
            up = jdbc(receipts, rules, url, order);
        }
        assertThat(count(url, "SELECT COUNT(*) FROM customers WHERE country = 'ZZ'") + count(url, "SELECT COUNT(*) FROM orders WHERE id = 1001"))
                .as("a customer changed, or an order added after it, never both\n" + down + "\n" + up).isLessThanOrEqualTo(1);
        assertThat(down.step(0)).startsWith("DENIED step=0")
                .contains("warden.fail-closed: state store redis://127.0.0.1:" + OWN_PORT + " could not answer: ");
        assertThat(up.step(0)).as("no customer data was changed").startsWith("OK step=0 updated=1");

        try (RedisServer redis = RedisServer.stopped(OWN_PORT + 1)) {
            redis.start();
            HostJvm.Result both = HostJvm.withAgent(receipts.agentArguments()).with("rules=" + rules)
                    .with("state=redis://127.0.0.1:" + (OWN_PORT + 1)).with("state-timeout=5000").with("actor=" + actor + "-up")
                    .run(dev.warden.e2e.host.JdbcHost.class, List.of(url, "sa", "", change,
                            "update:INSERT INTO orders VALUES (1002, 1, 5)"));
            assertThat(both.step(0)).as(both.toString()).startsWith("OK step=0 updated=1");
            assertThat(both.step(1)).startsWith("DENIED step=1").contains("chain no-orders-after-pii");
        }
        assertThat(count(url, "SELECT COUNT(*) FROM orders WHERE id = 1002")).isZero();
        Receipts.Verification verified = receipts.verify();
        assertThat(verified.exitCode()).as(verified.output()).isZero();
    }

    private HostJvm.Result jdbc(Receipts receipts, Path rules, String url, String step) throws Exception {
        return HostJvm.withAgent(receipts.agentArguments()).with("rules=" + rules).with("state=redis://127.0.0.1:" + OWN_PORT)
                .with("state-timeout=1000").with("actor=" + actor).run(dev.warden.e2e.host.JdbcHost.class, List.of(url, "sa", "", step));
    }

    private static int count(String url, String query) throws Exception {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet count = statement.executeQuery(query)) {
            count.next();
            return count.getInt(1);
        }
    }

    @Test
    void aStateThatIsNotARedisAddressStopsTheJvmBeforeTheApplicationRuns() throws Exception {
        HostJvm.Result refused = HostJvm.withAgent(Receipts.in(workspace).agentArguments()).withRules("shared-limit")
                .with("state=redis://127.0.0.1:99999").run(StatementBurstHost.class, List.of("1"));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(78);
        assertThat(refused.stdout()).doesNotContain("READY");
        assertThat(refused.stderr().lines().toList()).as(refused.toString()).hasSize(1).first().asString()
                .contains("invalid value 'redis://127.0.0.1:99999' for state (agent argument)").contains("port 99999 is out of range");
    }

    /** A burst while the store does not answer: every statement refused, naming the store; the host goes on. */
    private void assertRefusedNamingTheStore(HostJvm.Running host) throws Exception {
        tell(host, "burst 10");
        List<String> seen = until(host, "BURST");
        assertThat(seen).last().isEqualTo("BURST permitted=0 denied=10 errors=0");
        assertThat(seen).filteredOn(line -> line.startsWith("DENIED ")).allSatisfy(line -> assertThat(line)
                .contains("message=warden: denied by warden.fail-closed: state store redis://127.0.0.1:" + OWN_PORT + " could not answer: "));
        assertThat(host.process().isAlive()).isTrue();
    }

    private HostJvm.Running start(Receipts receipts, String state, Path errors, String timeout) throws IOException {
        return start(receipts, state, errors, timeout, "shared-limit");
    }

    private HostJvm.Running start(Receipts receipts, String state, Path errors, String timeout, String rules) throws IOException {
        HostJvm.Running host = HostJvm.withAgent(receipts.agentArguments()).withRules(rules)
                .with(state).with(timeout).with("actor=" + actor).errorsTo(errors)
                .start(StatementBurstHost.class, List.of("8"));
        hosts.add(host);
        return host;
    }

    private static void tell(HostJvm.Running host, String command) throws IOException {
        host.process().getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        host.process().getOutputStream().flush();
    }

    /** The lines a host prints up to and including the first that starts with {@code last}. */
    private static List<String> until(HostJvm.Running host, String last) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("warden.host.timeout", 120));
        while (System.nanoTime() < deadline) {
            String line = host.lines().poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null) {
                lines.add(line);
                if (line.startsWith(last)) {
                    return lines;
                }
            }
        }
        throw new AssertionError("the host never printed " + last + "; it printed:\n" + String.join("\n", lines));
    }

    private static void quit(HostJvm.Running host) throws Exception {
        tell(host, "quit");
        host.awaitLine("DONE");
        assertThat(host.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(host.process().exitValue()).isZero();
    }

    /** Where Warden keeps this test's limit in Redis (docs/STATE.md lays the keys out). */
    private String limitKey() {
        return "warden:limit:ops-per-minute:actor:" + actor;
    }
}
