package dev.warden.e2e;

import dev.warden.e2e.host.Lc4jLegacyHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Scenario S2's rep conversation on LangChain4j 1.0.0, the oldest version Warden claims: its AI
 * services call {@code ToolExecutor.execute} directly (no {@code ToolService.executeWithErrorHandling},
 * no {@code InvocationContext}), and the refusal still reaches the model as the tool's result.
 */
class Lc4jOldestVersionEndToEndTest {

    @TempDir
    static Path workspace;

    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    @BeforeAll
    static void runHost() throws Exception {
        Receipts store = Receipts.in(workspace);
        host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j").with("actor=rita").onClassPath("lc4j-oldest")
                .run(Lc4jLegacyHost.class, List.of("s2", "rita-legacy"));
        receipts = store.all();
        verification = store.verify();
    }

    @Test
    void theRepIsRefusedTheExternalSendAndTheModelReadsWhy() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString())
                .containsSubsequence("BODY run=0 tool=crm_read", "BODY run=0 tool=email_draft")
                .noneMatch(line -> line.equals("BODY run=0 tool=email_send") || line.equals("BODY run=0 tool=crm_write"))
                .anyMatch(line -> line.startsWith("TOOL run=0 tool=email_send result=warden: denied by role rep denies tool:email:send:external"))
                .anyMatch(line -> line.startsWith("ANSWER run=0 "))
                .contains("DONE");
    }

    @Test
    void everyToolCallIsDecidedOnceWithTheMemoryIdAsSession() {
        assertThat(receipts.stream().filter(r -> r.surface().equals("tool")))
                .extracting(Receipt::operation, Receipt::outcome, Receipt::session)
                .containsExactly(tuple("crm_read", "PERMIT", "rita-legacy"), tuple("email_draft", "PERMIT", "rita-legacy"),
                        tuple("email_send", "DENY", "rita-legacy"), tuple("crm_write", "DENY", "rita-legacy"),
                        tuple("hr_lookup", "SILENCE", "rita-legacy"));
    }

    @Test
    void modelCallsAreDecidedAndTheirUsageRecorded() {
        assertThat(receipts.stream().filter(r -> r.surface().equals("model") && r.operation().equals("chat"))).hasSize(6);
        assertThat(receipts.stream().filter(r -> r.operation().equals("usage"))).hasSize(6);
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
