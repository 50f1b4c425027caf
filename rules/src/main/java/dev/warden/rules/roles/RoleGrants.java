package dev.warden.rules.roles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who holds which roles and what those roles allow, across every role policy of a bundle: what a
 * refusal no rule produced (SILENCE) needs to say what was missing — the actor's roles, and the scope
 * none of them allows.
 */
public final class RoleGrants {

    public static final RoleGrants NONE = new RoleGrants(Map.of(), Map.of());

    private final Map<String, Set<String>> roles;
    private final Map<String, List<Scope>> allowed;

    private RoleGrants(Map<String, Set<String>> roles, Map<String, List<Scope>> allowed) {
        this.roles = roles;
        this.allowed = allowed;
    }

    /** The grants of these role policies together (each role is defined in one of them). */
    public static RoleGrants of(Collection<RolePolicy> policies) {
        Map<String, Set<String>> roles = new LinkedHashMap<>();
        Map<String, List<Scope>> allowed = new LinkedHashMap<>();
        for (RolePolicy policy : policies) {
            policy.actors().forEach((actor, held) -> {
                roles.computeIfAbsent(actor, ignored -> new TreeSet<>()).addAll(held);
                allowed.computeIfAbsent(actor, ignored -> new ArrayList<>()).addAll(policy.allowedTo(actor));
            });
        }
        return new RoleGrants(roles, allowed);
    }

    /** The roles {@code actor} holds, sorted; empty when none. */
    public Set<String> rolesOf(String actor) {
        return actor == null ? Set.of() : roles.getOrDefault(actor, Set.of());
    }

    /**
     * What was missing when no rule permitted an action: {@code no role of support-bot (support) permits
     * jdbc:notes:delete}; for an agent acting for a user, whose roles fell short; null when both grants
     * cover it (then something else was missing, such as a label a scope requires).
     */
    public String silence(String surface, String operation, String target, Set<String> targets, String actor,
                          String onBehalfOf, Set<String> labels) {
        List<List<String>> paths = Scopes.pathsOf(surface, operation, target, targets);
        String scopes = String.join(", ", paths.stream().map(path -> String.join(":", path)).toList());
        List<String> missing = uncovered(actor, paths, labels);
        if (!missing.isEmpty()) {
            Set<String> held = rolesOf(actor);
            return held.isEmpty()
                    ? actor + " holds no role that permits " + String.join(", ", missing)
                    : "no role of " + actor + " (" + String.join(", ", held) + ") permits " + String.join(", ", missing);
        }
        if (onBehalfOf != null) {
            List<String> userMissing = uncovered(onBehalfOf, paths, labels);
            if (!userMissing.isEmpty()) {
                Set<String> held = rolesOf(onBehalfOf);
                return "the roles of " + actor + " permit " + scopes + ", but " + (held.isEmpty() ? onBehalfOf + ", for whom it acts, holds no role"
                        : "no role of " + onBehalfOf + " (" + String.join(", ", held) + "), for whom it acts,")
                        + " permits " + String.join(", ", userMissing) + " (an agent acting for a user gets the intersection of both grants)";
            }
        }
        return null;
    }

    private List<String> uncovered(String principal, List<List<String>> paths, Set<String> labels) {
        List<Scope> scopes = principal == null ? List.of() : allowed.getOrDefault(principal, List.of());
        List<String> missing = new ArrayList<>();
        for (List<String> path : paths) {
            if (scopes.stream().noneMatch(scope -> scope.matches(path, labels))) {
                missing.add(String.join(":", path));
            }
        }
        return missing;
    }
}
