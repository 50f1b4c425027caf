package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same gate on every driver, matched by interface: embedded SQLite, real PostgreSQL and MariaDB
 * servers on 127.0.0.1, and each of them behind a HikariCP pool, which must not double the decisions.
 * On each, a permitted query through an application's wrapper whose {@code getMetaData} throws (the
 * driver's, or the pool's, statement handed through) is refused as unreadable, and the next statement
 * is decided as usual.
 */
@ResourceLock(SharedServices.DATABASES)
class DriversEndToEndTest {

    @TempDir
    Path workspace;

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("sqlite", "jdbc:sqlite:%s/shop.db", "", "", false),
                Arguments.of("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "", false),
                Arguments.of("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root", "", false),
                Arguments.of("postgresql+hikari", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "", true),
                Arguments.of("mariadb+hikari", "jdbc:mariadb://127.0.0.1:3306/test", "root", "", true),
                Arguments.of("h2+hikari", "jdbc:h2:file:%s/shop", "sa", "", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void permitsRestrictsAndRefusesOnEveryDriver(String name, String urlPattern, String user, String password,
                                                 boolean pooled) throws Exception {
        String url = urlPattern.formatted(workspace);
        Fixtures.createShop(url, user, password);
        Receipts store = Receipts.in(workspace);
        List<String> arguments = new ArrayList<>();
        if (pooled) {
            arguments.add("--pool");
        }
        arguments.addAll(List.of(url, user, password,
                "query:SELECT * FROM customers WHERE country = 'US'",
                "prepared:SELECT amount FROM orders WHERE id = ?|3",
                "update:DELETE FROM orders",
                "query:SELECT * FROM orders WHERE id = 5 OR 1=1",
                "unreadable-wrapper:SELECT * FROM customers WHERE country = 'US'",
                "update:DELETE FROM orders WHERE id = 1"));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").run(JdbcHost.class, arguments);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.step(0)).startsWith("OK step=0 rows=1000 ").contains("email=[REDACTED]", "ssn=[REDACTED]");
        assertThat(host.step(1)).isEqualTo("OK step=1 rows=1 first=amount=300");
        assertThat(host.step(2)).contains("DENIED step=2 state=42501", "default-deny");
        assertThat(host.step(3)).contains("DENIED step=3 state=42501", "tautologies");
        assertThat(host.step(4)).contains("DENIED step=4 state=42501",
                "warden.fail-closed: could not read the connection's metadata: dev.warden.e2e.host.adversary.UnprintableFailure");
        assertThat(host.step(5)).contains("DENIED step=5 state=42501", "default-deny");
        assertThat(Fixtures.count(url, user, password, "SELECT COUNT(*) FROM orders")).isEqualTo(10);

        List<Receipt> all = store.all();
        assertThat(all).filteredOn(receipt -> receipt.surface().equals("net"))
                .allSatisfy(connect -> assertThat(connect.outcome()).isEqualTo("PERMIT"));
        List<Receipt> jdbc = all.stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        // What drivers and pools run themselves (connection checks, session reads, SQLite's pragmas)
        // is decided too, and the rules permit it; the host's own statements each name a table.
        List<Receipt> receipts = jdbc.stream().filter(receipt -> !receipt.target().isEmpty()).toList();
        List<Receipt> unreadable = jdbc.stream().filter(receipt -> receipt.operation().equals("UNREADABLE")).toList();
        assertThat(jdbc).filteredOn(receipt -> receipt.target().isEmpty() && !unreadable.contains(receipt))
                .allSatisfy(housekeeping -> assertThat(housekeeping.outcome()).isEqualTo("PERMIT"));
        assertThat(receipts).as("one receipt per statement, even through a pool").hasSize(5);
        assertThat(receipts).extracting(Receipt::outcome).containsExactly("PERMIT", "PERMIT", "SILENCE", "DENY", "SILENCE");
        assertThat(unreadable).as("the query through the wrapper: refused as unreadable, once").singleElement()
                .satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        assertThat(host.step(4)).contains("(receipt " + unreadable.get(0).id() + ")");
        String system = name.replaceAll("\\+.*", "");
        assertThat(receipts.get(0).summary()).containsEntry("db.system", system);
        assertThat(receipts).allSatisfy(receipt -> assertThat(receipt.summary().getOrDefault("db.url", ""))
                .doesNotContainIgnoringCase("password"));
        assertThat(store.verify().exitCode()).isZero();
    }
}
