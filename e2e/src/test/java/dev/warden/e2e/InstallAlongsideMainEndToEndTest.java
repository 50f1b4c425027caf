package dev.warden.e2e;

import dev.warden.e2e.host.EarlyStatementHost;
import dev.warden.e2e.host.JdbcHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: a start that finds what an earlier install made of the JDK classes (the cache directory) installs ByteBuddy
 * alongside the host's {@code main}, not before it. What loads meanwhile and may be a target waits for ByteBuddy: a
 * statement class the host defines and runs in its first line, while ByteBuddy is still being installed (defined
 * unadvised, its DELETE would reach its own code, which says so), and the H2 driver (its DELETE and DROP would run:
 * the database, read by the test after each host JVM, says they did not). Every statement has its receipt, checked
 * with the verifier.
 */
class InstallAlongsideMainEndToEndTest {

    private static final List<String> STEPS = List.of(
            "query:SELECT * FROM customers WHERE country = 'US'",
            "update:DELETE FROM orders",
            "update:DROP TABLE customers");

    private static final String ALONGSIDE = "instrumentation \\d+ ms before main, ByteBuddy installed alongside main in \\d+ ms";

    @TempDir
    Path workspace;

    @Test
    void aLaterStartRunsMainBeforeByteBuddyIsInstalledAndTheDriverItLoadsMeanwhileIsGated() throws Exception {
        Path root = workspace.toRealPath();
        String url = "jdbc:h2:file:" + root.resolve("shop") + ";DB_CLOSE_DELAY=0";
        Fixtures.createShop(url, "sa", "");
        int orders = count(url, "orders");
        Path cache = root.resolve("cache");

        HostJvm.Result cold = start(root, "cold", url, cache, orders);
        assertThat(cold.stderr()).as("the first start installs ByteBuddy before main: " + cold)
                .doesNotContain("installed alongside main").contains("transformed anew");
        List<HostJvm.Result> later = new ArrayList<>();
        for (String name : List.of("second", "third")) {
            later.add(start(root, name, url, cache, orders));
        }
        assertThat(later).as("a later start installs ByteBuddy alongside main")
                .anySatisfy(host -> assertThat(host.stderr()).containsPattern(ALONGSIDE));
    }

    @Test
    void aStatementClassTheHostDefinesInItsFirstLineWaitsForByteBuddyAndIsGated() throws Exception {
        Path root = workspace.toRealPath();
        Path cache = root.resolve("cache");
        List<HostJvm.Result> starts = new ArrayList<>();
        for (String name : List.of("cold", "second", "third")) {
            Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-" + name)));
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("cache=" + cache)
                    .run(EarlyStatementHost.class, List.of("DELETE FROM orders"));
            assertThat(host.lines()).as(name + ": " + host).contains("DONE")
                    .noneSatisfy(line -> assertThat(line).as("the statement's own code ran").startsWith("ARRIVED"))
                    .anySatisfy(line -> assertThat(line).contains("DENIED", "no rule permits jdbc DELETE on orders"));
            assertThat(store.all()).as(name).filteredOn(receipt -> receipt.surface().equals("jdbc")).singleElement()
                    .satisfies(receipt -> assertThat(receipt.outcome()).isNotEqualTo("PERMIT"));
            assertThat(store.verify().exitCode()).as(name).isZero();
            starts.add(host);
        }
        assertThat(starts.subList(1, 3)).as("a later start installs ByteBuddy alongside main")
                .anySatisfy(host -> assertThat(host.stderr()).containsPattern(ALONGSIDE));
    }

    private static HostJvm.Result start(Path root, String name, String url, Path cache, int orders) throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-" + name)));
        List<String> arguments = new ArrayList<>(List.of(url, "sa", ""));
        arguments.addAll(STEPS);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("cache=" + cache)
                .run(JdbcHost.class, arguments);
        assertThat(host.lines()).as(name + ": " + host).contains("DONE");
        assertThat(host.step(0)).as(name + ": " + host).startsWith("OK step=0 rows=");
        assertThat(host.step(1)).as(name).contains("DENIED step=1", "no rule permits jdbc DELETE on orders");
        assertThat(host.step(2)).as(name).contains("DENIED step=2", "default-deny");
        assertThat(count(url, "orders")).as(name + ": the DELETE did not run").isEqualTo(orders);
        assertThat(count(url, "customers")).as(name + ": the DROP did not run").isPositive();
        assertThat(store.all()).as(name).filteredOn(receipt -> receipt.surface().equals("jdbc")).hasSize(3);
        assertThat(store.verify().exitCode()).as(name).isZero();
        return host;
    }

    private static int count(String url, String table) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
