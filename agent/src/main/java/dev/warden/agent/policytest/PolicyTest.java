package dev.warden.agent.policytest;

import java.util.List;
import java.util.Map;

/**
 * One policy test: an action as the advice would hand it to the gate, who performs it, what the context
 * stage knows of the past, and what the decision must be.
 *
 * @param file      the test file's path as given, for reports
 * @param surface   the surface ({@code jdbc}, {@code tool}, ...)
 * @param operation the operation when the call site knows it (a tool's name, an HTTP method), else null
 * @param target    the target when the call site knows it (a host, a program), else null
 * @param attributes the raw facts the advice would pack ({@code sql} for JDBC, {@code tool.arguments} for a tool)
 * @param context   facts of the context stage before the action ({@code session.labels}, {@code budget.NAME.spent})
 */
public record PolicyTest(String file, String name, String surface, String operation, String target, Map<String, Object> attributes,
                         String actor, String onBehalfOf, String session, Map<String, Object> context, Expectation expect) {

    /**
     * What the decision must be; what is null is not checked.
     *
     * @param rules       exactly the rules that decided (any order)
     * @param rule        a rule among those that decided
     * @param obligations exactly these obligations, as receipts record them ({@code maxRows: "100"}); empty: none
     * @param reason      text the reason contains
     */
    public record Expectation(String outcome, List<String> rules, String rule, Map<String, String> obligations, String reason) {
    }
}
