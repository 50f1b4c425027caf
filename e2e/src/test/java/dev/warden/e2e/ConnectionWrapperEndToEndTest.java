package dev.warden.e2e;

import dev.warden.e2e.host.WrappedConnectionHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statements a driver runs inside its own JDBC methods are not decided; an application's own method
 * on its connection class is not such a method, and every statement it runs is decided.
 */
class ConnectionWrapperEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void anApplicationsOwnConnectionMethodIsNoWayAroundTheGate() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc")
                .run(WrappedConnectionHost.class, List.of(url, "DELETE FROM orders"));

        assertThat(host.stdout()).as(host.toString()).startsWith("DENIED warden: denied by default-deny");
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders")).isEqualTo(10);
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jdbc")).extracting(receipt -> receipt.outcome()).containsExactly("SILENCE");
    }
}
