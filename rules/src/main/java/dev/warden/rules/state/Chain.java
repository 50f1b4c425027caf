package dev.warden.rules.state;

import java.util.Set;

/**
 * Once a session did an action carrying any of {@code afterLabels}, the actions {@code deny} covers
 * are refused for the rest of it ({@code chains:}).
 */
public record Chain(String name, Set<String> afterLabels, ScopeList deny) {

    public Chain {
        afterLabels = Set.copyOf(afterLabels);
    }
}
