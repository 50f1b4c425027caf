package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S10 and start-up checks: whatever fails inside Warden (a rule that throws, rules that do not compile, receipts that
 * cannot be written), the action is refused with a reason naming the failure and the host keeps running; a
 * configuration that cannot work stops the JVM before the host's main runs, with one clear line.
 */
@SameOnEveryJdk // Warden's own failures: rules that throw or do not compile, its policy cache, its receipts directory, its settings
class FailClosedEndToEndTest {

    @TempDir
    Path workspace;

    private String url;

    @BeforeEach
    void createDatabase() throws Exception {
        url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
    }

    @Test
    void aRuleThatThrowsRefusesTheActionNamingTheRule() throws Exception {
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("throwing")
                .run(JdbcHost.class, List.of(url, "sa", "", "query:SELECT * FROM orders", "query:SELECT name FROM customers WHERE id = 7"));

        assertThat(host.step(0)).contains("DENIED step=0 state=42501", "denied by exploding rule",
                "rule 'exploding rule' threw IllegalStateException: rule bug");
        assertThat(host.step(1)).startsWith("OK step=1 rows=1");
        assertThat(host.lines()).contains("DONE");
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jdbc")).extracting(Receipt::outcome)
                .containsExactly("DENY", "PERMIT");
    }

    /**
     * A compiled policy is kept across starts, and is code the host will run: a later start with the
     * same rules loads it, one whose cached copy was changed rejects it, says so, and compiles the rules.
     */
    @Test
    void aCachedPolicyIsReusedAndATamperedOneRejected() throws Exception {
        Path cache = workspace.resolve("policy-cache");
        List<String> steps = List.of(url, "sa", "", "query:SELECT * FROM orders", "query:SELECT name FROM customers WHERE id = 7");
        HostJvm.Result first = HostJvm.withAgent("receipts=" + workspace.resolve("r1"), "cache=" + cache).withRules("throwing")
                .run(JdbcHost.class, steps);
        HostJvm.Result second = HostJvm.withAgent("receipts=" + workspace.resolve("r2"), "cache=" + cache).withRules("throwing")
                .run(JdbcHost.class, steps);
        Path entry;
        try (var entries = Files.list(cache)) {
            entry = entries.filter(file -> file.toString().endsWith(".policy")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 1;
        Files.write(entry, bytes);
        HostJvm.Result tampered = HostJvm.withAgent("receipts=" + workspace.resolve("r3"), "cache=" + cache).withRules("throwing")
                .run(JdbcHost.class, steps);

        assertThat(first.stderr()).as(first.toString()).contains("files from ", ", compiled)");
        assertThat(second.stderr()).as(second.toString()).contains(", from cache)").doesNotContain("warden: WARNING");
        assertThat(tampered.stderr()).as(tampered.toString()).contains("warden: WARNING: policy recompiled: ", entry.toString(),
                "does not match its MAC", ", recompiled)");
        for (HostJvm.Result host : List.of(first, second, tampered)) {
            assertThat(host.step(0)).contains("DENIED step=0 state=42501", "rule 'exploding rule' threw IllegalStateException");
            assertThat(host.step(1)).startsWith("OK step=1 rows=1");
        }
    }

    /**
     * S10: rules that do not compile are not a reason for the host not to run. A first start does not wait for Drools
     * before the host's main (it takes seconds); every action is then refused, naming the file and line, and recorded.
     */
    @Test
    void rulesThatDoNotCompileRefuseEveryActionWhileTheHostRuns() throws Exception {
        Receipts store = Receipts.in(workspace);
        // Only jdbc: under rules that decide nothing, the file surface would refuse H2 its own database files.
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("broken").with("surfaces=jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", "update:DELETE FROM orders", "query:SELECT * FROM orders"));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.stderr()).contains("warden: WARNING: rules in ", "do not compile", "broken.drl:8",
                "every action is refused until a version that compiles is loaded");
        assertThat(host.step(0)).contains("DENIED step=0 state=42501", "policy did not compile", "broken.drl:8");
        assertThat(host.step(1)).contains("DENIED step=1 state=42501", "policy did not compile");
        assertThat(host.lines()).contains("DONE");
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders")).isEqualTo(10);
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jdbc")).hasSize(2)
                .allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"))
                .allSatisfy(receipt -> assertThat(receipt.reason()).contains("policy did not compile", "broken.drl:8"));
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    @Test
    void anUnwritableReceiptsDirectoryRefusesEveryActionButTheHostKeepsRunning() throws Exception {
        // The tests may run as root, for whom permissions do not make a directory read-only; a
        // path below a regular file can be written by nobody.
        Path blocker = Files.writeString(workspace.resolve("not-a-directory"), "x");

        // Only jdbc: with no receipt log every file action is refused too, and H2 could not open its database.
        HostJvm.Result host = HostJvm.withAgent("receipts=" + blocker.resolve("receipts")).withRules("jdbc").with("surfaces=jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", "prepared:SELECT * FROM orders WHERE id = ?|1",
                        "update:INSERT INTO orders VALUES (77, 1, 1)"));

        assertThat(host.stderr()).contains("warden: WARNING: receipts cannot be written to", "every action will be refused");
        assertThat(host.step(0)).contains("DENIED step=0 state=42501", "denied by warden.fail-closed",
                "receipt could not be written", "(no receipt written)");
        assertThat(host.step(1)).contains("DENIED step=1", "warden.fail-closed");
        assertThat(host.lines()).contains("DONE");
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders WHERE id = 77")).isZero();
    }

    @Test
    void anEmptyRulesDirectoryRefusesEverything() throws Exception {
        Receipts store = Receipts.in(workspace);

        // Only jdbc: with every surface on, nothing permits H2 its own database files, and the
        // connection fails before the statement reaches the gate (files: FileEndToEndTest).
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("empty").with("surfaces=jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", "query:SELECT * FROM orders"));

        assertThat(host.step(0)).contains("DENIED step=0", "default-deny");
        assertThat(store.all()).extracting(Receipt::outcome).containsExactly("SILENCE");
    }

    @Test
    void aMissingRulesDirectoryStopsTheJvm() throws Exception {
        HostJvm.Result host = HostJvm.withAgent("rules=" + workspace.resolve("nowhere"))
                .run(JdbcHost.class, List.of(url, "sa", "", "query:SELECT 1"));

        assertThat(host.exitCode()).isEqualTo(78);
        assertThat(host.stdout()).isEmpty();
        assertThat(host.stderr()).contains("warden: rules directory", "nowhere", "does not exist");
    }

    @Test
    void anUnknownKeyOrInvalidValueStopsTheJvmNamingIt() throws Exception {
        HostJvm.Result unknown = HostJvm.withAgent("rulez=x").withRules("jdbc").run(JdbcHost.class, List.of(url, "sa", ""));
        HostJvm.Result invalid = HostJvm.withAgent("mode=maybe").withRules("jdbc").run(JdbcHost.class, List.of(url, "sa", ""));
        HostJvm.Result fromEnvironment = HostJvm.withAgent().withRules("jdbc").env("WARDEN_POLICY_WAIT", "soon")
                .run(JdbcHost.class, List.of(url, "sa", ""));

        assertThat(unknown.exitCode()).isEqualTo(78);
        assertThat(unknown.stderr()).contains("unknown configuration key 'rulez' (agent argument)");
        assertThat(invalid.exitCode()).isEqualTo(78);
        assertThat(invalid.stderr()).contains("invalid value 'maybe' for mode", "expected one of enforce, shadow");
        assertThat(fromEnvironment.exitCode()).isEqualTo(78);
        assertThat(fromEnvironment.stderr()).contains("policy-wait (environment variable WARDEN_POLICY_WAIT)");
        assertThat(unknown.stdout() + invalid.stdout() + fromEnvironment.stdout()).isEmpty();
    }
}
