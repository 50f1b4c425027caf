package dev.warden.instrumentation.api;

import java.util.Map;
import java.util.Set;

/**
 * An action as the rules and the receipt see it.
 *
 * @param operation  e.g. {@code SELECT}, {@code POST}, the tool name
 * @param target     the primary resource (a table, a host)
 * @param targets    every resource touched (all tables of a join)
 * @param attributes facts for the rules, unredacted (they never leave the process)
 * @param summary    what the receipt records: redacted, never secrets (SQL literals masked, no
 *                   credentials, no header or query values)
 * @param bound      what the action's digest binds besides the facts, by name: values a surface keeps from rules
 *                   and receipts but an approval must not outlive (an HTTP request's target with its query's
 *                   values); never shown to rules, never recorded
 */
public record ActionDescription(String operation, String target, Set<String> targets,
                                Map<String, Object> attributes, Map<String, String> summary, Map<String, String> bound) {

    public ActionDescription {
        targets = Set.copyOf(targets);
        attributes = Map.copyOf(attributes);
        summary = Map.copyOf(summary);
        bound = Map.copyOf(bound);
    }

    /** An action whose digest binds its facts alone. */
    public ActionDescription(String operation, String target, Set<String> targets,
                             Map<String, Object> attributes, Map<String, String> summary) {
        this(operation, target, targets, attributes, summary, Map.of());
    }
}
