package dev.warden.e2e;

import dev.warden.e2e.host.ToolResultFailureHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Issue 11, item 7, on the way out of a tool call: a permitted call whose result the policy restricts
 * (the {@code lc4j} pack masks personal data in CRM results) returns a result object that throws when
 * Warden reads it to filter it. The result is withheld from the caller (and so from the model), never
 * passed on unfiltered and never thrown at the caller; the next tool call on the thread is decided.
 */
class ToolResultFailureEndToEndTest {

    private static final String WITHHELD = "warden: the tool's result was withheld: its obligations apply only to text results";

    @TempDir
    static Path workspace;

    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    @BeforeAll
    static void runHost() throws Exception {
        Receipts store = Receipts.in(workspace);
        // The manager's role reads the CRM (the pack's masking is an obligation on that permit) and grants no refund.
        host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j").with("actor=max")
                .run(ToolResultFailureHost.class, List.of());
        receipts = store.all();
        verification = store.verify();
    }

    @Test
    void aRestrictedResultThatCannotBeReadIsWithheldNeverThrownNorPassedOn() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString())
                .contains("STEP result-is-error-throws error=true text=" + WITHHELD,
                        "STEP result-text-throws-an-error error=true text=" + WITHHELD, "DONE")
                .noneMatch(line -> line.contains("123-45-6789"));
    }

    @Test
    void theNextToolCallIsDecidedAndRecorded() {
        assertThat(host.lines()).anyMatch(line -> line.startsWith("STEP next-tool error=true text=warden: denied by default-deny"));
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("tool"))
                .extracting(Receipt::operation, Receipt::outcome)
                .containsExactly(tuple("crm_read", "PERMIT"), tuple("crm_read", "PERMIT"), tuple("refund", "SILENCE"));
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
