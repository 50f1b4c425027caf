package dev.warden.e2e;

import dev.warden.e2e.host.EarlyStatementHost;
import dev.warden.e2e.host.JdbcAfterMainHost;
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
 * alongside the host's {@code main}, not before it. What loads meanwhile and may be a target waits for ByteBuddy. Two
 * starts fill the cache; the third is held at {@code install-gate} until its host says its {@code main} runs, so what
 * the host loads first is loaded before ByteBuddy is installed: a statement class the host defines (a proxy of
 * {@code java.sql.Statement}, whose own code prints what reaches it: defined unadvised, its DELETE would reach it), and
 * the H2 driver (its DELETE and DROP would run: the database, read by the test after each host JVM, says they did
 * not). Every statement has its receipt, checked with the verifier.
 */
class InstallAlongsideMainEndToEndTest {

    private static final String ALONGSIDE = "instrumentation \\d+ ms before main, ByteBuddy installed alongside main in \\d+ ms";

    @TempDir
    Path workspace;

    @Test
    void aStatementClassTheHostDefinesInItsFirstLinesWaitsForByteBuddyAndIsGated() throws Exception {
        Path root = workspace.toRealPath();
        Path cache = root.resolve("cache");
        for (String name : List.of("cold", "warm")) {
            Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-" + name)));
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("cache=" + cache)
                    .run(EarlyStatementHost.class, List.of("DELETE FROM orders"));
            assertThat(host.lines()).as(name + ": " + host).contains("DONE").doesNotContain("ARRIVED DELETE FROM orders")
                    .anySatisfy(line -> assertThat(line).contains("DENIED", "no rule permits jdbc DELETE on orders"));
        }

        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-gated")));
        Gated gated = gated(root, store, cache, EarlyStatementHost.class, List.of("DELETE FROM orders"));

        assertThat(gated.lines()).doesNotContain("ARRIVED DELETE FROM orders")
                .anySatisfy(line -> assertThat(line).contains("DENIED", "no rule permits jdbc DELETE on orders"));
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jdbc")).singleElement()
                .satisfies(receipt -> assertThat(receipt.outcome()).isNotEqualTo("PERMIT"));
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void theDriverTheHostLoadsBeforeByteBuddyIsInstalledIsGated() throws Exception {
        Path root = workspace.toRealPath();
        String url = "jdbc:h2:file:" + root.resolve("shop") + ";DB_CLOSE_DELAY=0";
        Fixtures.createShop(url, "sa", "");
        int orders = count(url, "orders");
        Path cache = root.resolve("cache");
        List<String> arguments = List.of(url, "sa", "", "query:SELECT * FROM customers WHERE country = 'US'",
                "update:DELETE FROM orders", "update:DROP TABLE customers");
        for (String name : List.of("cold", "warm")) {
            Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-" + name)));
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("cache=" + cache)
                    .run(JdbcAfterMainHost.class, arguments);
            assertThat(host.lines()).as(name + ": " + host).contains("DONE");
        }

        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-gated")));
        Gated gated = gated(root, store, cache, JdbcAfterMainHost.class, arguments);

        assertThat(gated.lines()).anySatisfy(line -> assertThat(line).startsWith("OK step=0 rows="))
                .anySatisfy(line -> assertThat(line).contains("DENIED step=1", "no rule permits jdbc DELETE on orders"))
                .anySatisfy(line -> assertThat(line).contains("DENIED step=2", "default-deny"));
        assertThat(count(url, "orders")).as("the DELETE did not run").isEqualTo(orders);
        assertThat(count(url, "customers")).as("the DROP did not run").isPositive();
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jdbc")).hasSize(3);
        assertThat(store.verify().exitCode()).isZero();
    }

    /** What the host printed, once its ByteBuddy, held at the gate until its main ran, was installed alongside it. */
    private record Gated(List<String> lines, String stderr) {
    }

    private static Gated gated(Path root, Receipts store, Path cache, Class<?> host, List<String> arguments) throws Exception {
        Path gate = root.resolve("gate");
        Path errors = root.resolve("gated.err");
        HostJvm.Running running = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("cache=" + cache)
                .with("install-gate=file:" + gate).errorsTo(errors).start(host, arguments);
        List<String> lines = new ArrayList<>();
        lines.add(running.awaitLine("MAIN"));
        Files.createFile(gate); // main runs, and has started loading what it needs first: ByteBuddy may now be installed
        for (String line = running.awaitLine(""); !line.equals("DONE"); line = running.awaitLine("")) {
            lines.add(line);
        }
        assertThat(running.release()).isZero();
        String stderr = Files.readString(errors);
        assertThat(stderr).as("this start installed ByteBuddy alongside main").containsPattern(ALONGSIDE);
        return new Gated(lines, stderr);
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
