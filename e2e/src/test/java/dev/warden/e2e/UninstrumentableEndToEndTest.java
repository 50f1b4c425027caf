package dev.warden.e2e;

import dev.warden.e2e.host.MemoryDriverHost;
import dev.warden.e2e.host.MockitoHost;
import dev.warden.e2e.host.UninstrumentableHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, item 5: what cannot be instrumented fails closed. A driver whose class loader does not
 * serve its class files is still gated; a target that cannot be advised cannot run at all; the JDK
 * targets are verified at start.
 */
class UninstrumentableEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void aDriverDefinedFromMemoryIsGatedLikeAnyOther() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc")
                .run(MemoryDriverHost.class, List.of("h2-", "org.h2.Driver", url, "sa", "",
                        "query:SELECT * FROM orders", "update:DELETE FROM orders", "update:INSERT INTO orders VALUES (77, 1, 1)"));

        assertThat(host.lines()).as(host.toString()).contains("LOADER org.h2.jdbc.JdbcStatement in memory", "DONE");
        assertThat(host.step(0)).startsWith("OK step=0 rows=10");
        assertThat(host.step(1)).startsWith("DENIED step=1");
        assertThat(host.step(2)).startsWith("OK step=2 updated=1");
        assertThat(host.stderr()).doesNotContain("warden: WARNING");
        // The database itself: nothing was deleted, the permitted insert happened. SILENCE: no rule
        // permits DELETE, refused by default.
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders")).isEqualTo(11);
        // The host's three statements; what else the host did (its database files, the driver's own
        // housekeeping) is decided and recorded too.
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jdbc") && !receipt.target().isEmpty())
                .extracting(Receipt::outcome).containsExactly("PERMIT", "SILENCE", "PERMIT");
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    @Test
    void aTargetWhoseAdvisedMethodsAreMissingIsRefusedLoudlyAndNeverRuns() throws Exception {
        Path marker = workspace.resolve("ran");
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("http")
                .run(UninstrumentableHost.class, List.of(marker.toString()));

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.lines()).anyMatch(line -> line.startsWith("REFUSED error=ExceptionInInitializerError")
                && line.contains("could not instrument okhttp3.internal.connection.RealCall for surface http"));
        assertThat(host.stderr().lines().filter(line -> line.startsWith("warden: WARNING"))).singleElement().asString()
                .contains("could not instrument okhttp3.internal.connection.RealCall for surface http",
                        "no method of okhttp3.internal.connection.RealCall matches", "its actions are refused");
        assertThat(marker).doesNotExist();
    }

    @Test
    void everyJdkTargetIsVerifiedAtStart() throws Exception {
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("http")
                .run(UninstrumentableHost.class, List.of(workspace.resolve("unused").toString()));

        assertThat(host.stderr()).containsPattern("warden: started in .*, [1-9][0-9]* advices verified on [1-9][0-9]* JDK classes");
    }

    @Test
    void anotherAgentsClassesThatAreNotTargetsProduceNoWarning() throws Exception {
        Receipts store = Receipts.in(workspace);

        // Mockito's inline mock maker attaches its agent by starting a helper JVM on JDK 17: with the
        // process surface on, that start is an action the jdbc pack does not permit (rightly: it loads
        // an agent into the host). This test is about warnings, so it gates what the host mocks only.
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("surfaces=jdbc,http,net")
                .onClassPath("mockito").run(MockitoHost.class, List.of());

        assertThat(host.lines()).as(host.toString()).contains("MOCKED final=7 connection=mocked", "DONE");
        assertThat(host.stderr().lines().filter(line -> line.startsWith("warden:")))
                .as(host.stderr()).noneMatch(line -> line.contains("WARNING"));
    }
}
