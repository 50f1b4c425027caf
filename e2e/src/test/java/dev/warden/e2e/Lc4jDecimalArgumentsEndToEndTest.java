package dev.warden.e2e;

import dev.warden.e2e.host.DiscountHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rule compares a tool's decimal argument as the decimal it is. Found by a fifth review (2026-12-06):
 * {@code number()} was a long, so a {@code double rate} of 0.95, "0.99" or -0.5 read as 0 and passed rules refusing
 * rates above 0.2 and below 0; the tool applied them. The tool's ledger is the side channel.
 */
@SameOnEveryJdk
class Lc4jDecimalArgumentsEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void ratesAboveTheThresholdOrBelowZeroNeverReachTheToolAndASmallOneDoes() throws Exception {
        Receipts store = Receipts.in(workspace);
        Path ledger = workspace.resolve("ledger.txt");
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("lc4j-discounts").with("surfaces=tool,model").run(DiscountHost.class, List.of(
                ledger.toString(),
                /* 0 */ "{\"order\":\"A-1\",\"rate\":0.1}",
                /* 1 */ "{\"order\":\"A-2\",\"rate\":0.95}",
                /* 2 */ "{\"order\":\"A-3\",\"rate\":\"0.99\"}",
                /* 3 */ "{\"order\":\"A-4\",\"rate\":-0.5}",
                /* 4 */ "{\"order\":\"A-5\",\"rate\":0.2000001}",
                /* 5 */ "{\"order\":\"A-6\",\"rate\":1.5}"));

        assertThat(host.lines()).as(host.toString()).noneMatch(line -> line.startsWith("ERROR")).contains("DONE");
        assertThat(Files.readAllLines(ledger)).as(host.toString()).containsExactly("order=A-1 rate=0.1");
        List<Receipt> discounts = store.all().stream()
                .filter(receipt -> receipt.surface().equals("tool") && receipt.operation().equals("apply_discount")).toList();
        assertThat(discounts).extracting(Receipt::outcome).containsExactly("PERMIT", "DENY", "DENY", "DENY", "DENY", "DENY");
        assertThat(discounts.get(1).rules()).containsExactly("no discount above 20%");
        assertThat(discounts.get(2).rules()).containsExactly("no discount above 20%");
        assertThat(discounts.get(3).rules()).containsExactly("no negative discounts");
        assertThat(host.lines()).anyMatch(line -> line.startsWith("TOOL run=1 error=true result=warden: denied by no discount above 20%"));
        assertThat(store.verify().exitCode()).isZero();
    }
}
