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
}
