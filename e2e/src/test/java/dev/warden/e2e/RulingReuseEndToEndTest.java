package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent repeating itself. Whether an identical action's ruling is recalled (the default) or the
 * rules are evaluated again ({@code reuse-rulings=false}), every repetition is decided before it
 * runs, enforced with its obligations, and recorded on a receipt of its own.
 */
@SameOnEveryJdk
class RulingReuseEndToEndTest {

    private static final String ORDERS = "query:SELECT amount FROM orders WHERE id = 1";
    private static final String PII = "query:SELECT name, email FROM customers WHERE id = 1";
    private static final String DELETE = "update:DELETE FROM orders";

    @TempDir
    Path workspace;

    @ParameterizedTest(name = "reuse-rulings={0}")
    @ValueSource(booleans = {true, false})
    void everyRepetitionIsDecidedEnforcedAndRecorded(boolean reuse) throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        List<String> arguments = new ArrayList<>(List.of(url, "sa", ""));
        Stream.of(ORDERS, ORDERS, ORDERS, PII, PII, DELETE, DELETE).forEach(arguments::add);

        HostJvm.Result host = HostJvm.withAgent(withReuse(store.agentArguments(), reuse)).withRules("jdbc")
                .run(JdbcHost.class, arguments);

        assertThat(host.exitCode()).as(host.toString()).isZero();
        for (int step : new int[] {0, 1, 2}) {
            assertThat(host.step(step)).isEqualTo("OK step=" + step + " rows=1 first=amount=100");
        }
        for (int step : new int[] {3, 4}) {
            assertThat(host.step(step)).isEqualTo("OK step=" + step + " rows=1 first=name=Customer 1,email=[REDACTED]");
        }
        for (int step : new int[] {5, 6}) {
            assertThat(host.step(step)).contains("DENIED step=" + step, "no rule permits jdbc DELETE on orders");
        }
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders")).as("refused deletes never ran").isPositive();

        List<Receipt> receipts = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        assertThat(receipts).extracting(Receipt::operation)
                .containsExactly("SELECT", "SELECT", "SELECT", "SELECT", "SELECT", "DELETE", "DELETE");
        assertThat(receipts).extracting(Receipt::id).doesNotHaveDuplicates();
        assertThat(receipts.subList(0, 3)).extracting(Receipt::rules).containsOnly(List.of("orders are readable"));
        assertThat(receipts.subList(3, 5)).allSatisfy(receipt -> {
            assertThat(receipt.outcome()).isEqualTo("PERMIT");
            assertThat(receipt.summary()).containsEntry("labels", "pii");
            assertThat(receipt.obligations()).containsEntry("redact", "email,phone,ssn");
        });
        assertThat(receipts.subList(5, 7)).extracting(Receipt::outcome).containsOnly("SILENCE");
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private static String[] withReuse(String[] agentArguments, boolean reuse) {
        return Stream.concat(Stream.of(agentArguments), Stream.of("reuse-rulings=" + reuse)).toArray(String[]::new);
    }
}
