package dev.warden.rules.roles;

import dev.warden.rules.PolicyYaml;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A role policy as the security team writes it:
 *
 * <pre>
 * policies:
 *   - role: rep
 *     allow: [tool:crm:read, tool:email:draft, tool:email:send:internal]
 *     deny:  [tool:email:send:external, tool:crm:write]
 *     actors: [rita]            # optional: who holds the role, here or below
 *     shadow: true              # optional: the role's rules are evaluated and recorded, never enforced
 * actors:
 *   sales-assistant: [assistant]
 * </pre>
 *
 * @param roles  in file order
 * @param actors who holds which roles (from both places), in file order
 */
public record RolePolicy(List<Role> roles, Map<String, Set<String>> actors) {

    /** One role: what it allows and what it denies; in shadow, what it would have. */
    public record Role(String name, List<Scope> allow, List<Scope> deny, boolean shadow) {
        public Role {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
        }

        public Role(String name, List<Scope> allow, List<Scope> deny) {
            this(name, allow, deny, false);
        }
    }

    public RolePolicy {
        roles = List.copyOf(roles);
        actors = Map.copyOf(actors);
    }

    /** The actors holding {@code role}, in a stable order. */
    public List<String> holders(String role) {
        return actors.entrySet().stream().filter(entry -> entry.getValue().contains(role)).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /** Every scope {@code actor}'s enforcing roles allow (a role in shadow grants nothing). */
    public List<Scope> allowedTo(String actor) {
        return allowedTo(actor, false);
    }

    /** Every scope {@code actor}'s roles allow; with {@code withShadow}, its roles in shadow's too. */
    public List<Scope> allowedTo(String actor, boolean withShadow) {
        Set<String> held = actors.getOrDefault(actor, Set.of());
        List<Scope> scopes = new ArrayList<>();
        roles.stream().filter(role -> held.contains(role.name()) && (withShadow || !role.shadow()))
                .forEach(role -> scopes.addAll(role.allow()));
        return scopes;
    }

    /**
     * Reads a policy; the exception's message names what is wrong and where.
     *
     * @throws IllegalArgumentException for anything but a well-formed policy
     */
    public static RolePolicy parse(String yaml) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage().replaceAll("\\s+", " "));
        }
        Map<?, ?> top = PolicyYaml.map(document, "the document");
        for (Object key : top.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (expected policies, actors)");
            }
        }
        return from(top);
    }

    /** The keys of a policy file a role policy reads. */
    public static final List<String> KEYS = List.of("policies", "actors");

    /**
     * The role policy of a policy file's top-level mapping (keys other than {@link #KEYS} are not looked at).
     *
     * @throws IllegalArgumentException for anything but a well-formed policy
     */
    public static RolePolicy from(Map<?, ?> top) {
        Map<String, Set<String>> actors = new LinkedHashMap<>();
        List<Role> roles = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Object entry : top.containsKey("policies") ? PolicyYaml.list(top.get("policies"), "policies") : List.of()) {
            Map<?, ?> policy = PolicyYaml.map(entry, "each entry of policies");
            for (Object key : policy.keySet()) {
                if (!List.of("role", "allow", "deny", "actors", "shadow").contains(key)) {
                    throw new IllegalArgumentException("unknown key '" + key + "' in a policy (expected role, allow, deny, actors, shadow)");
                }
            }
            String name = PolicyYaml.text(policy.get("role"), "role");
            if (!names.add(name)) {
                throw new IllegalArgumentException("role '" + name + "' is defined twice");
            }
            Object shadow = policy.containsKey("shadow") ? policy.get("shadow") : Boolean.FALSE;
            if (!(shadow instanceof Boolean)) {
                throw new IllegalArgumentException("shadow of role '" + name + "' must be true or false, not '" + shadow + "'");
            }
            roles.add(new Role(name, scopes(policy.get("allow"), name, "allow"), scopes(policy.get("deny"), name, "deny"),
                    (Boolean) shadow));
            if (policy.containsKey("actors")) {
                for (Object actor : PolicyYaml.list(policy.get("actors"), "actors of role " + name)) {
                    actors.computeIfAbsent(PolicyYaml.text(actor, "an actor of role " + name), ignored -> new LinkedHashSet<>()).add(name);
                }
            }
        }
        if (top.containsKey("actors")) {
            PolicyYaml.map(top.get("actors"), "actors").forEach((actor, held) -> {
                String actorName = PolicyYaml.text(actor, "an actor name");
                for (Object role : held instanceof Collection ? PolicyYaml.list(held, "roles of " + actorName) : List.of(held)) {
                    String roleName = PolicyYaml.text(role, "a role of " + actorName);
                    if (!names.contains(roleName)) {
                        throw new IllegalArgumentException("actor '" + actorName + "' holds role '" + roleName + "', which no policy defines");
                    }
                    actors.computeIfAbsent(actorName, ignored -> new LinkedHashSet<>()).add(roleName);
                }
            });
        }
        return new RolePolicy(roles, actors);
    }

    private static List<Scope> scopes(Object value, String role, String kind) {
        if (value == null) {
            return List.of();
        }
        List<Scope> scopes = new ArrayList<>();
        for (Object scope : PolicyYaml.list(value, kind + " of role " + role)) {
            Scope parsed;
            try {
                parsed = Scope.parse(PolicyYaml.text(scope, "a scope"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("role '" + role + "', " + kind + ": " + e.getMessage());
            }
            if (kind.equals("deny") && parsed.neverMatches() != null) {
                // a deny that never matches refuses nothing (an allow that never matches permits nothing: the lint says so)
                throw new IllegalArgumentException("role '" + role + "', deny: scope '" + parsed.pattern() + "' " + parsed.neverMatches());
            }
            scopes.add(parsed);
        }
        return scopes;
    }
}
