package dev.warden.e2e;

import dev.warden.e2e.host.ToolCatalogBudgetHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by a review (2026-12-06): a model call's input estimate and bound counted its messages only, while
 * the provider also bills the tool specifications sent with them, which may come from data (a catalog, an
 * MCP server's descriptions). Eight calls of one session at once, each sending a 6000-character CJK tool
 * description (about 6000 tokens), against a 20000-token session budget: calls in flight reserve their
 * input's bound, which now counts the specifications, so the provider bills no more than the budget.
 */
@SameOnEveryJdk
class Lc4jToolCatalogBudgetEndToEndTest {

    private static final long BUDGET = 20_000;

    @Test
    void callsInFlightTogetherReserveTheirToolSpecificationsAndStayWithinTheBudget() throws Exception {
        Path bill = Files.createTempDirectory("lc4j-budget-bill").resolve("bill.txt");
        Receipts store = Receipts.in(Files.createTempDirectory("lc4j-budget"));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-budget").with("surfaces=tool,model")
                .run(ToolCatalogBudgetHost.class, List.of("8", "6000", bill.toString()));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).contains("DONE")
                .anyMatch(line -> line.startsWith("REFUSED warden: denied by budget:session-tokens"));
        List<Long> bills = Files.readAllLines(bill).stream().map(Long::parseLong).toList();
        assertThat(bills).as("what the provider billed").isNotEmpty().allMatch(tokens -> tokens > 6000);
        assertThat(bills.stream().mapToLong(Long::longValue).sum()).as("tokens billed in all").isLessThanOrEqualTo(BUDGET);

        List<Receipt> receipts = store.all();
        List<Receipt> chats = receipts.stream().filter(r -> r.surface().equals("model") && r.operation().equals("chat")).toList();
        assertThat(chats).hasSize(8);
        assertThat(chats).filteredOn(r -> r.outcome().equals("PERMIT")).hasSize(bills.size());
        assertThat(chats).filteredOn(r -> r.draft().rules().contains("budget:session-tokens")).hasSize(8 - bills.size());
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
