package dev.warden.agent.policytest;

import dev.warden.agent.lint.FactVocabulary;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Policy tests decide through the agent's engine, with the past the test states held by the context stage. */
class PolicyTestRunnerTest {

    static PolicyTestRunner runner;

    @BeforeAll
    static void compile() throws Exception {
        PolicyBundle bundle = PolicyBundle.of(Map.of(
                "egress.drl", """
                        package t;
                        import dev.warden.rules.Action;
                        global dev.warden.rules.Verdict verdict;
                        rule "the API may be posted to"
                        when
                            Action(surface == "http", operation == "POST", target == "api.example.com")
                        then
                            verdict.permit("the API");
                        end
                        rule "customers are personal data" salience 10
                        when
                            $a : Action(surface == "jdbc", targets contains "customers", !hasLabel("pii"))
                        then
                            modify($a) { label("pii") }
                        end
                        """.getBytes(StandardCharsets.UTF_8),
                "state.yaml", """
                        limits:
                          - {name: posts, per: actor, max: 3, window: 1m, scopes: ["http:*:post"]}
                        chains:
                          - {name: no-egress-after-pii, after: [label:pii], deny: ["http:*:post"]}
                        """.getBytes(StandardCharsets.UTF_8)));
        runner = new PolicyTestRunner(bundle, FactVocabulary.installedModules());
    }

    private static PolicyTest post(String name, Map<String, Object> context, String outcome) {
        return new PolicyTest("t.yaml", name, "http", "POST", "api.example.com", Map.of("url.path", "/v1"), "bot", null, "s-1",
                context, new PolicyTest.Expectation(outcome, null, null, null, null));
    }

    @Test
    void theContextStageHoldsTheStatedPastSoStateRulesDecideAsTheyWouldInTheAgent() {
        PolicyTestResult fresh = runner.run(post("fresh", Map.of(), "PERMIT"));
        PolicyTestResult afterPii = runner.run(post("after pii", Map.of("session.labels", List.of("pii")), "DENY"));
        PolicyTestResult atLimit = runner.run(post("at the limit", Map.of("limit.posts.count", 3), "DENY"));
        PolicyTestResult belowLimit = runner.run(post("below the limit", Map.of("limit.posts.count", 2), "PERMIT"));

        assertThat(fresh.passed()).as(fresh.toString()).isTrue();
        assertThat(afterPii.passed()).as(afterPii.toString()).isTrue();
        assertThat(afterPii.rules()).containsExactly("chain:no-egress-after-pii");
        assertThat(atLimit.passed()).as(atLimit.toString()).isTrue();
        assertThat(atLimit.reason()).contains("limit posts: 4 > 3 in 1m for actor bot");
        assertThat(belowLimit.passed()).as(belowLimit.toString()).isTrue();
        assertThat(belowLimit.rules()).containsExactly("the API may be posted to");
    }

    @Test
    void aFailedExpectationSaysWhatWasExpectedAndWhatWasDecided() {
        PolicyTestResult result = runner.run(new PolicyTest("t.yaml", "wrong", "jdbc", null, null,
                Map.of("sql", "SELECT * FROM customers"), "bot", null, null, Map.of(),
                new PolicyTest.Expectation("PERMIT", List.of("x"), null, Map.of("maxRows", "10"), "customers")));

        assertThat(result.passed()).isFalse();
        assertThat(result.outcome()).isEqualTo("SILENCE");
        assertThat(result.failures()).containsExactly(
                "outcome: expected PERMIT, got SILENCE (" + result.reason() + ")",
                "rules: expected [x], got []",
                "obligations: expected {maxRows=10}, got {}");
        assertThat(result.reason()).contains("no rule permits jdbc SELECT on customers: bot holds no role that permits jdbc:customers:select");
    }

    @Test
    void aContextFactThePolicyDoesNotKeepIsAnErrorNotAPass() {
        PolicyTestResult result = runner.run(post("typo", Map.of("limit.post.count", 3), "PERMIT"));

        assertThat(result.passed()).isFalse();
        assertThat(result.error()).contains("the policy keeps no context fact limit.post.count", "limit.posts.count");
    }

    @Test
    void whatNoTestDecidedIsReported() {
        runner.run(post("fresh", Map.of(), "PERMIT"));

        assertThat(runner.unexercised()).contains("customers are personal data").doesNotContain("the API may be posted to");
    }
}
