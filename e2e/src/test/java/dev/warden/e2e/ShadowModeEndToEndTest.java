package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** S12: in shadow mode the host behaves exactly as without Warden, and receipts record what would have been refused. */
class ShadowModeEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void shadowModeChangesNothingTheHostSeesAndRecordsWhatWouldHaveBeenRefused() throws Exception {
        List<String> steps = List.of(
                "query:SELECT * FROM customers WHERE country = 'US'",
                "update:DELETE FROM orders WHERE id = 1",
                "query:SELECT * FROM orders WHERE id = 5 OR 1=1");

        String plainUrl = "jdbc:h2:file:" + workspace.resolve("plain");
        Fixtures.createShop(plainUrl, "sa", "");
        HostJvm.Result withoutWarden = HostJvm.withoutAgent().run(JdbcHost.class, arguments(plainUrl, steps));

        String shadowUrl = "jdbc:h2:file:" + workspace.resolve("shadow");
        Fixtures.createShop(shadowUrl, "sa", "");
        Receipts store = Receipts.in(workspace);
        HostJvm.Result shadowed = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("mode=shadow")
                .run(JdbcHost.class, arguments(shadowUrl, steps));

        assertThat(shadowed.stdout()).isEqualTo(withoutWarden.stdout());
        assertThat(withoutWarden.step(0)).startsWith("OK step=0 rows=1500 ").contains("@example.com");
        assertThat(Fixtures.count(shadowUrl, "sa", "", "SELECT COUNT(*) FROM orders")).isEqualTo(9);

        // The statements' receipts; H2 opening its own files is recorded on the file surface too.
        List<Receipt> receipts = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        assertThat(receipts).extracting(Receipt::outcome).containsExactly("PERMIT", "SILENCE", "DENY");
        assertThat(receipts).allSatisfy(receipt -> assertThat(receipt.enforced()).isFalse());
        assertThat(receipts.get(0).obligations()).containsEntry("maxRows", "1000");
        assertThat(store.verify().exitCode()).isZero();
    }

    private static List<String> arguments(String url, List<String> steps) {
        List<String> arguments = new java.util.ArrayList<>(List.of(url, "sa", ""));
        arguments.addAll(steps);
        return arguments;
    }
}
