package dev.warden.instrumentation.jdbc;

import dev.warden.instrumentation.api.ActionDescription;

import java.util.Map;
import java.util.Set;

/**
 * JDBC actions that are not SQL: a connection's switch of catalog or schema ({@code USE}, its target
 * the name switched to, {@code jdbc.use}) and a server function called by its object id
 * ({@code CALL}, its target the OID, {@code jdbc.function}). Nothing in them is read as SQL, so no
 * rule on SQL facts covers them: a policy permits them by operation and target.
 */
final class ConnectionCallFacts {

    static final String USE = "USE";
    static final Set<String> OPERATIONS = Set.of(USE);
    static final Set<String> ATTRIBUTES = Set.of("jdbc.use", "jdbc.function");

    private ConnectionCallFacts() {
    }

    /** The action the advice asked for by {@code method}, or null when it is a statement's SQL. */
    static ActionDescription describe(Object method, Map<String, Object> attributes, Map<String, String> summary) {
        if ("setCatalog".equals(method) || "setSchema".equals(method)) {
            return describe(USE, attributes.get("jdbc.use"), "jdbc.use", attributes, summary);
        }
        if ("fastpath".equals(method)) {
            return describe("CALL", attributes.get("jdbc.function"), "jdbc.function", attributes, summary);
        }
        return null;
    }

    private static ActionDescription describe(String operation, Object target, String name, Map<String, Object> attributes,
                                              Map<String, String> summary) {
        String named = target == null ? "" : target.toString();
        if (target != null) {
            summary.put(name, named);
        }
        return new ActionDescription(operation, named, named.isEmpty() ? Set.of() : Set.of(named), attributes, summary);
    }
}
