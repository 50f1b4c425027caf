package dev.warden.agent.policytest;

import java.util.List;
import java.util.Map;

/**
 * A test's decision as the agent would have recorded it, and how it fell short of the expectation.
 *
 * @param failures empty when the test passed
 * @param error    why the test could not be run (a context fact the policy does not keep), else null
 */
public record PolicyTestResult(PolicyTest test, String outcome, List<String> rules, String reason, Map<String, String> obligations,
                               List<String> failures, String error, long millis) {

    public PolicyTestResult {
        rules = List.copyOf(rules);
        obligations = Map.copyOf(obligations);
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty() && error == null;
    }
}
