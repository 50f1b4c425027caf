package dev.warden.e2e;

import dev.warden.e2e.host.AssistantHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LangChain4j 1.19's compensations: with {@code compensateOnToolErrors}, a refused tool call makes LangChain4j run the
 * {@code @CompensateFor} method of the turn's earlier, permitted call, as a call of that tool with its arguments. It is
 * decided and recorded, and its receipt says it was the compensation ({@code tool.compensation}), not the write again.
 */
class Lc4jCompensationEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void theUndoOfAPermittedCallIsDecidedAndRecordedAsACompensation() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j")
                .run(AssistantHost.class, List.of("compensate:max:compensate"));

        assertThat(host.lines()).as(host.toString()).anyMatch(line -> line.startsWith("ANSWER run=0 ")).contains("DONE")
                .contains("BODY run=0 tool=crm_write", "COMPENSATED run=0 tool=crm_write deal=acme-renewal")
                .doesNotContain("BODY run=0 tool=hr_lookup");
        List<Receipt> tools = store.all().stream().filter(receipt -> receipt.surface().equals("tool")).toList();
        assertThat(tools).extracting(Receipt::operation, Receipt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("crm_write", "PERMIT"),
                org.assertj.core.groups.Tuple.tuple("hr_lookup", "SILENCE"),
                org.assertj.core.groups.Tuple.tuple("crm_write", "PERMIT"));
        assertThat(tools.get(0).summary()).doesNotContainKey("tool.compensation");
        assertThat(tools.get(2).summary()).containsEntry("tool.compensation", "true");
        assertThat(store.verify().exitCode()).isZero();
    }
}
