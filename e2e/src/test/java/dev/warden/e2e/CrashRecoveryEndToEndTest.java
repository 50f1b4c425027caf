package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host killed with SIGKILL in the middle of a load, then restarted on the same receipts: no torn
 * receipt is accepted, what the crash left unsigned is reported as such, and the chain continues.
 */
@Isolated // a host it kills mid-write
class CrashRecoveryEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void aHostKilledMidLoadLeavesAVerifiableLogThatTheNextRunContinues() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);

        HostJvm.Running loaded = HostJvm.withAgent(store.agentArguments()).withRules("jdbc")
                .start(JdbcHost.class, List.of(url, "sa", "", "repeat:SELECT amount FROM orders WHERE id = ?"));
        loaded.awaitLine("OK repeat=500");
        loaded.killHard();

        Receipts.Verification afterCrash = store.verify();
        assertThat(afterCrash.output()).as("only an unsigned tail, never a broken chain")
                .doesNotContain("INVALID").doesNotContain("MISSING");
        assertThat(afterCrash.exitCode()).isIn(0, 1);
        if (afterCrash.exitCode() == 1) {
            assertThat(afterCrash.output()).containsAnyOf("UNCHECKPOINTED", "TRUNCATED");
        }
        long survived = store.all().size();
        assertThat(survived).isGreaterThanOrEqualTo(500);

        HostJvm.Result restarted = HostJvm.withAgent(store.agentArguments()).withRules("jdbc")
                .run(JdbcHost.class, List.of(url, "sa", "", "prepared:SELECT amount FROM orders WHERE id = ?|4"));
        assertThat(restarted.step(0)).isEqualTo("OK step=0 rows=1 first=amount=400");

        List<Receipt> receipts = store.all();
        // One statement after the restart; H2 opening its own files is recorded on the file surface too.
        assertThat(receipts.subList((int) survived, receipts.size())).filteredOn(receipt -> receipt.surface().equals("jdbc")).hasSize(1);
        assertThat(receipts).extracting(Receipt::sequence)
                .containsExactlyElementsOf(LongStream.range(0, receipts.size()).boxed().toList());
        assertThat(receipts).extracting(Receipt::chain).containsOnly(receipts.get(0).chain());
        // The restarted agent checked the crash's unsigned tail (chain, hashes, its own MACs), recorded a
        // recovery receipt and signed it: every receipt valid, the recovered range named, exit 3.
        Receipts.Verification afterRestart = store.verify();
        assertThat(afterRestart.output()).doesNotContain("INVALID").doesNotContain("MISSING").doesNotContain("REJECTED")
                .doesNotContain("UNCHECKPOINTED");
        if (afterCrash.output().contains("UNCHECKPOINTED")) {
            assertThat(afterRestart.exitCode()).as(afterRestart.output()).isEqualTo(3);
            assertThat(afterRestart.output()).containsPattern("RECOVERED: receipts [0-9]+\\.\\.[0-9]+: written before the writer stopped");
            assertThat(receipts).filteredOn(receipt -> receipt.operation().equals("recover")).hasSize(1);
        } else {
            assertThat(afterRestart.exitCode()).as(afterRestart.output()).isIn(0, 3);
        }
    }
}
