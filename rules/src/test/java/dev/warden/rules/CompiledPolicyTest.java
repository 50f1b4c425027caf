package dev.warden.rules;

import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompiledPolicyTest {

    private static final String HEADER = """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;
            """;

    private static CompiledPolicy policy;

    @BeforeAll
    static void compile() throws Exception {
        policy = new PolicyCompiler().compile(bundle(HEADER + """
                rule "customers hold PII" salience 100
                when $a : Action(targets contains "customers", !hasLabel("pii"))
                then modify($a) { label("pii") }
                end

                rule "customers are readable with limits"
                when Action(surface == "jdbc", operation == "SELECT", hasLabel("pii"))
                then verdict.permit("PII reads are limited").maxRows(1000).redact("email", "SSN");
                end

                rule "reads are capped"
                when Action(surface == "jdbc", operation == "SELECT")
                then verdict.permit("reads are fine").maxRows(10);
                end

                rule "no drops"
                when Action(operation == "DDL")
                then verdict.permit("someone allowed DDL"); verdict.deny("DDL is never allowed");
                end

                rule "joins of orders and items"
                when Action(operation == "INSERT", targetsWithin("orders", "items"))
                then verdict.permit("order writes");
                end

                rule "label by the table's name"
                when $a : Action(operation == "UPDATE", !hasLabel("named"))
                then modify($a) { label("named"), label("table:" + $a.getTarget()) }
                end

                rule "exploding rule"
                when Action(target == "boom")
                then throw new IllegalStateException("kaboom");
                end
                """));
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    @Test
    void permitsWithTheMostRestrictiveCombinationOfObligations() {
        Ruling ruling = policy.evaluate(action("SELECT", "customers"));

        assertThat(ruling.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(ruling.rules()).containsExactlyInAnyOrder("customers are readable with limits", "reads are capped");
        assertThat(ruling.obligations().maxRows()).isEqualTo(10);
        assertThat(ruling.obligations().redact()).containsExactlyInAnyOrder("email", "ssn");
        assertThat(ruling.labels()).containsExactly("pii");
    }

    @Test
    void denyOverridesPermitAndNamesTheDenyingRule() {
        Ruling ruling = policy.evaluate(action("DDL", "customers"));

        assertThat(ruling.outcome()).isEqualTo(Outcome.DENY);
        assertThat(ruling.rules()).containsExactly("no drops");
        assertThat(ruling.reason()).isEqualTo("DDL is never allowed");
    }

    @Test
    void anActionNoRulePermitsIsSilence() {
        Ruling ruling = policy.evaluate(action("DELETE", "orders"));

        assertThat(ruling.outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(ruling.rules()).isEmpty();
        assertThat(ruling.reason()).contains("no rule permits jdbc DELETE on orders");
    }

    @Test
    void aRuleThatThrowsIsADenialNamingTheRule() {
        Ruling ruling = policy.evaluate(action("SELECT", "boom"));

        assertThat(ruling.outcome()).isEqualTo(Outcome.DENY);
        assertThat(ruling.rules()).containsExactly("exploding rule");
        assertThat(ruling.reason()).contains("exploding rule", "IllegalStateException", "kaboom");
    }

    @Test
    void aLabelHoldingACommaIsADenialNotTwoLabelsOnReplay() {
        // a receipt keeps a ruling's labels joined with commas: "table:a,pii" would come back as two
        assertThat(policy.evaluate(action("UPDATE", "orders")).labels()).containsExactlyInAnyOrder("named", "table:orders");

        Ruling ruling = policy.evaluate(action("UPDATE", "a,pii"));

        assertThat(ruling.outcome()).isEqualTo(Outcome.DENY);
        assertThat(ruling.failed()).isTrue();
        assertThat(ruling.reason()).contains("label by the table's name", "comma");
    }

    @Test
    void targetsWithinRequiresEveryTargetToBeListed() {
        assertThat(policy.evaluate(new Action("id", "jdbc", "INSERT", "orders", Set.of("orders", "items"), Map.of(),
                "agent", null, null)).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(policy.evaluate(new Action("id", "jdbc", "INSERT", "orders", Set.of("orders", "secrets"), Map.of(),
                "agent", null, null)).outcome()).isEqualTo(Outcome.SILENCE);
    }

    @Test
    void evaluationIsIndependentBetweenCalls() {
        policy.evaluate(action("DDL", "x"));

        assertThat(policy.evaluate(action("SELECT", "orders")).outcome()).isEqualTo(Outcome.PERMIT);
    }

    @Test
    void anEmptyPolicyRefusesEverything() throws Exception {
        try (CompiledPolicy empty = new PolicyCompiler().compile(PolicyBundle.of(Map.of()))) {
            assertThat(empty.evaluate(action("SELECT", "orders")).outcome()).isEqualTo(Outcome.SILENCE);
        }
    }

    @Test
    void aRuleFileThatDoesNotCompileIsReportedWithFileAndLine() {
        assertThatThrownBy(() -> new PolicyCompiler().compile(bundle(HEADER + """
                rule "broken"
                when Action(nonsense == 1)
                then verdict.permit("x");
                end
                """)))
                .isInstanceOf(PolicyCompilationException.class)
                .hasMessageContaining("test.drl");
    }

    @Test
    void theVersionIsTheHashOfTheBundleAndChangesWithAnyByte() {
        assertThat(bundle("a").version()).hasSize(64).isEqualTo(bundle("a").version()).isNotEqualTo(bundle("b").version());
    }

    private static PolicyBundle bundle(String drl) {
        return PolicyBundle.of(Map.of("test.drl", drl.getBytes(StandardCharsets.UTF_8)));
    }

    private static Action action(String operation, String table) {
        return new Action("id", "jdbc", operation, table, Set.of(table), Map.of(), "agent", null, null);
    }
}
