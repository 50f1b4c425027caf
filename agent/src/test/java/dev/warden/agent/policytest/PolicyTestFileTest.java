package dev.warden.agent.policytest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTestFileTest {

    @Test
    void readsActionsIdentityContextAndExpectations() throws Exception {
        List<PolicyTest> tests = PolicyTestFile.parse("t.yaml", """
                tests:
                  - name: a read
                    action:
                      surface: jdbc
                      actor: bot
                      on-behalf-of: rita
                      session: s-1
                      attributes: {sql: "SELECT 1", jdbc.prepared: true, n: 3, names: [a, b]}
                    context: {session.labels: [pii], budget.daily.spent: 1.5}
                    expect: {outcome: permit, rules: [r], obligations: {maxRows: 10, redact: [SSN, email]}, reason: ok}
                """);

        PolicyTest test = tests.get(0);
        assertThat(test.attributes()).containsEntry("n", 3L).containsEntry("names", List.of("a", "b")).containsEntry("jdbc.prepared", true);
        assertThat(test.onBehalfOf()).isEqualTo("rita");
        assertThat(test.context()).containsEntry("session.labels", List.of("pii")).containsEntry("budget.daily.spent", 1.5);
        assertThat(test.expect()).isEqualTo(new PolicyTest.Expectation("PERMIT", List.of("r"), null,
                Map.of("maxRows", "10", "redact", "email,ssn"), "ok"));
    }

    @Test
    void misspeltKeysUnknownOutcomesAndDuplicateNamesAreErrors() {
        assertThatThrownBy(() -> PolicyTestFile.parse("t.yaml", "tests:\n  - name: x\n    action: {surface: jdbc}\n    expect: {outcome: PERMIT, rulez: [a]}\n"))
                .hasMessage("t.yaml: test 'x': expect: unknown key 'rulez' (expected outcome, rules, rule, obligations, reason)");
        assertThatThrownBy(() -> PolicyTestFile.parse("t.yaml", "tests:\n  - name: x\n    action: {surface: jdbc}\n    expect: {outcome: ALLOW}\n"))
                .hasMessageContaining("outcome 'ALLOW' is not one of PERMIT, DENY, SILENCE, HOLD");
        assertThatThrownBy(() -> PolicyTestFile.parse("t.yaml", "tests:\n  - {name: x, action: {surface: a}, expect: {outcome: DENY}}\n"
                + "  - {name: x, action: {surface: a}, expect: {outcome: DENY}}\n")).hasMessageContaining("two tests are named 'x'");
        assertThatThrownBy(() -> PolicyTestFile.parse("t.yaml", "tests: [")).hasMessageStartingWith("t.yaml: not valid YAML");
    }
}
