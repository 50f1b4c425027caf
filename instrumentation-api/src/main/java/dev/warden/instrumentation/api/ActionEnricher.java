package dev.warden.instrumentation.api;

import dev.warden.bootstrap.ActionRequest;

/**
 * Turns what the advice saw into what rules and receipts see. Must be a pure function of the
 * request: the engine caches descriptions per distinct request, so a statement executed repeatedly
 * is described once. Anything shared by many distinct requests (a SQL shape with different
 * literals, a URL's host) is worth caching here too, bounded.
 */
public interface ActionEnricher {

    ActionDescription describe(ActionRequest request);

    /**
     * Every operation and attribute name {@link #describe} can produce, the advice's raw attributes
     * included: what the rule linter checks rules against. Each surface tests that its descriptions
     * stay within it.
     */
    FactModel facts();
}
