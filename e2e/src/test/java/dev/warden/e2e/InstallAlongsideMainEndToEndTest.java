package dev.warden.e2e;

import dev.warden.e2e.host.EarlyStatementHost;
import dev.warden.e2e.host.JdbcAfterMainHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
 * starts fill the cache; the third holds ByteBuddy back ({@code install-gate=main-waits}) until a class its
 * host's main loads waits for it, so what the host loads first is loaded before ByteBuddy is installed: a statement class the host defines (a proxy of
 * {@code java.sql.Statement}, whose own code prints what reaches it: defined unadvised, its DELETE would reach it), and
 * the H2 driver (its DELETE and DROP would run: the database, read by the test after each host JVM, says they did
 * not). Every statement has its receipt, checked with the verifier.
 */
class InstallAlongsideMainEndToEndTest {

    /** The start line of a start that installed ByteBuddy alongside main while at least one class load waited for it. */
    private static final String HELD = "instrumentation \\d+ ms before main, ByteBuddy installed alongside main in \\d+ ms "
            + "\\([1-9]\\d* class loads waited for it";

    @TempDir
    Path workspace;

    /**
     * The statement class implements {@code java.sql.Statement}, or an interface of the host's that extends it: then
     * only that interface's class file tells it is a target.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java.sql.Statement", "own-interface"})
    void aStatementClassTheHostDefinesInItsFirstLinesWaitsForByteBuddyAndIsGated(String implementing) throws Exception {
        Path root = workspace.toRealPath();
        Path cache = root.resolve("cache");
        List<String> arguments = List.of("DELETE FROM orders", implementing);
        for (String name : List.of("cold", "warm")) {
            Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-" + name)));
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("cache=" + cache)
                    .run(EarlyStatementHost.class, arguments);
            assertThat(host.lines()).as(name + ": " + host).contains("DONE").doesNotContain("ARRIVED DELETE FROM orders")
                    .anySatisfy(line -> assertThat(line).contains("DENIED", "no rule permits jdbc DELETE on orders"));
        }

        Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-gated")));
        Gated gated = gated(root, store, cache, EarlyStatementHost.class, arguments);

        assertThat(gated.lines()).doesNotContain("ARRIVED DELETE FROM orders")
                .anySatisfy(line -> assertThat(line).contains("DENIED", "no rule permits jdbc DELETE on orders"));
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jdbc")).singleElement()
                .satisfies(receipt -> assertThat(receipt.outcome()).isNotEqualTo("PERMIT"));
        assertThat(store.verify().exitCode()).isZero();
        assertThat(gated.stderr()).as("this start installed ByteBuddy alongside main, and a class load waited for it")
                .containsPattern(HELD);
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
        assertThat(gated.stderr()).as("this start installed ByteBuddy alongside main, and a class load waited for it")
                .containsPattern(HELD);
    }

    /** What the host printed, its ByteBuddy held back until the host's main waited for it. */
    private record Gated(List<String> lines, String stderr) {
    }

    private static Gated gated(Path root, Receipts store, Path cache, Class<?> host, List<String> arguments) throws Exception {
        Path errors = root.resolve("gated.err");
        HostJvm.Running running = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("cache=" + cache)
                .with("install-gate=main-waits").errorsTo(errors).start(host, arguments);
        List<String> lines = new ArrayList<>();
        for (String line = running.awaitLine(""); !line.equals("DONE"); line = running.awaitLine("")) {
            lines.add(line);
        }
        assertThat(running.release()).isZero();
        assertThat(lines).first().isEqualTo("MAIN");
        return new Gated(lines, Files.readString(errors));
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
