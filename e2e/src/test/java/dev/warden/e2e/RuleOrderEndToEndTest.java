package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rule pack written with its methods before its equalities, as a security team may write it, decides in
 * an unchanged JDBC host exactly as written although Warden compiles each pattern's fixed facts first
 * (docs/RULES.md, "Many rules"): the permit reaches only its actor's tables, a rule that tests state before
 * a fact it changes never matches, a binding without a dollar keeps its meaning, and every decision has a
 * verified receipt.
 */
@SameOnEveryJdk
class RuleOrderEndToEndTest {

    @TempDir
    static Path workspace;

    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    private static final String RULES = """
            package rules.order;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "the order bot reads orders"
            when Action(targetsWithin("orders"), operation == "SELECT", actor == "order-bot", surface == "jdbc")
            then verdict.permit("order reads");
            end

            rule "never after reading state"
            when Action(state("session.labels") == null, stateRead == false, surface == "jdbc")
            then verdict.permit("must never fire: the state test comes first");
            end

            rule "who may count customers"
            when Action(who : actor, targetsWithin("customers"), who == "support-bot", surface == "jdbc")
            then verdict.permit("support counts customers");
            end
            """;

    @BeforeAll
    static void runHost() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop") + ";DB_CLOSE_DELAY=0";
        Fixtures.createShop(url, "sa", "");
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.writeString(rules.resolve("order.drl"), RULES);
        Receipts store = Receipts.in(workspace);
        host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=jdbc").with("actor=order-bot")
                .run(JdbcHost.class, List.of(url, "sa", "",
                        "query:SELECT * FROM orders WHERE id = 1",
                        "query:SELECT * FROM customers WHERE id = 1",
                        "query:SELECT * FROM orders JOIN customers ON orders.customer_id = customers.id WHERE orders.id = 1"));
        receipts = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        verification = store.verify();
    }

    @Test
    void theHostRunsToTheEnd() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).contains("DONE");
    }

    @Test
    void thePermitWrittenMethodFirstReachesItsActorsTableOnly() {
        assertThat(host.step(0)).startsWith("OK step=0 rows=1");
        assertThat(host.step(1)).contains("DENIED step=1", "no rule permits jdbc SELECT on customers");
        assertThat(host.step(2)).contains("DENIED step=2");
    }

    @Test
    void everyDecisionNamesTheRuleAsWrittenAndNoOtherRuleFired() {
        assertThat(receipts).hasSize(3);
        assertThat(receipts.get(0).draft().rules()).containsExactly("the order bot reads orders");
        assertThat(receipts.get(0).draft().outcome()).isEqualTo("PERMIT");
        assertThat(receipts.subList(1, 3)).allSatisfy(receipt -> {
            assertThat(receipt.draft().outcome()).isNotEqualTo("PERMIT");
            assertThat(receipt.draft().rules()).doesNotContain("never after reading state", "who may count customers");
        });
    }

    @Test
    void theReceiptsVerify() {
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
