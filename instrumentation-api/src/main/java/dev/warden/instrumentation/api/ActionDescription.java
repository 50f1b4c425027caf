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
 */
public record ActionDescription(String operation, String target, Set<String> targets,
                                Map<String, Object> attributes, Map<String, String> summary) {

    public ActionDescription {
        targets = Set.copyOf(targets);
        attributes = Map.copyOf(attributes);
        summary = Map.copyOf(summary);
    }
}
