package dev.warden.rules.approvals;

import dev.warden.rules.PolicyYaml;
import dev.warden.rules.state.ScopeList;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code tiers:}: which actions are of which risk tier, by scope, as role policies write scopes.
 * <pre>
 * tiers:
 *   T0: [tool:invoice:read]
 *   T3: [tool:invoice:delete:all]
 * </pre>
 * An action several tiers cover is of the highest; one no tier covers has none (-1), unless a DRL
 * classification rule gives it one ({@code modify($a) { setTier(2) }}), which rules after it see.
 */
public record Tiers(Map<Integer, ScopeList> scopes) {

    public static final Tiers NONE = new Tiers(Map.of());

    public Tiers {
        scopes = Map.copyOf(scopes);
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static Tiers parse(Object value) {
        Map<Integer, ScopeList> scopes = new TreeMap<>();
        PolicyYaml.map(value, "tiers").forEach((key, list) -> {
            int tier = tier(key, "tiers");
            scopes.put(tier, ScopeList.parse(list, "tiers, T" + tier));
        });
        return new Tiers(scopes);
    }

    /** {@code T0} .. {@code T3} as 0 .. 3. */
    static int tier(Object key, String where) {
        String text = String.valueOf(key).trim();
        if (!text.matches("[Tt][0-3]")) {
            throw new IllegalArgumentException(where + ": '" + key + "' is not a tier (T0, T1, T2 or T3)");
        }
        return text.charAt(1) - '0';
    }

    /** The highest tier whose scopes cover one of the names the action goes by ({@code Scopes.namesOf}), or -1. */
    public int of(List<List<String>> paths, Collection<String> labels) {
        int found = -1;
        for (Map.Entry<Integer, ScopeList> tier : scopes.entrySet()) {
            if (tier.getKey() > found && tier.getValue().matchesAny(paths, labels)) {
                found = tier.getKey();
            }
        }
        return found;
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }

    /** Both files' tiers; a tier written in both is an error (say it in one place). */
    Tiers and(Tiers other) {
        Map<Integer, ScopeList> all = new TreeMap<>(scopes);
        other.scopes.forEach((tier, list) -> {
            if (all.put(tier, list) != null) {
                throw new IllegalArgumentException("tier T" + tier + " is defined twice");
            }
        });
        return new Tiers(all);
    }
}
