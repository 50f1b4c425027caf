package dev.warden.instrumentation.api;

import dev.warden.bootstrap.ActionRequest;

/**
 * Turns what the advice saw into what rules and receipts see. Runs inside the agent on every action
 * of its surface, so anything derived from a call's static shape (a SQL text, a URL's host) should
 * be computed once and cached, bounded.
 */
public interface ActionEnricher {

    ActionDescription describe(ActionRequest request);
}
