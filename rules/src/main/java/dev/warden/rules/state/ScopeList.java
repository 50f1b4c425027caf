package dev.warden.rules.state;

import dev.warden.rules.PolicyYaml;
import dev.warden.rules.roles.Scope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The actions a limit counts or a chain refuses, in the role policies' scope grammar
 * ({@code http:*:post}, {@code tool:email:send:external}); {@code **} alone is every action.
 */
public record ScopeList(List<Scope> scopes, boolean everything) {

    public static final ScopeList EVERYTHING = new ScopeList(List.of(), true);

    public ScopeList {
        scopes = List.copyOf(scopes);
    }

    public static ScopeList parse(Object value, String where) {
        if (value == null) {
            return EVERYTHING;
        }
        List<Scope> scopes = new ArrayList<>();
        for (Object item : PolicyYaml.list(value, where)) {
            String text = PolicyYaml.text(item, "a scope of " + where);
            if (text.equals("**")) {
                return EVERYTHING;
            }
            Scope scope;
            try {
                scope = Scope.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            if (scope.neverMatches() != null) {
                // what a tier, limit or chain never matches it never holds, counts or refuses: refuse to load instead
                throw new IllegalArgumentException(where + ": scope '" + text + "' " + scope.neverMatches());
            }
            scopes.add(scope);
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException(where + " must name at least one scope");
        }
        return new ScopeList(scopes, false);
    }

    /** Whether any scope covers any of the names the action goes by ({@link dev.warden.rules.roles.Scopes#namesOf}). */
    public boolean matchesAny(List<List<String>> paths, Collection<String> labels) {
        if (everything) {
            return true;
        }
        for (Scope scope : scopes) {
            for (List<String> path : paths) {
                if (scope.reaches(path, labels)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return everything ? "**" : scopes.toString();
    }
}
