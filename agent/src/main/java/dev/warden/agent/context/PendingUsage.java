package dev.warden.agent.context;

import dev.warden.rules.state.Window;

/**
 * A model call the receipt log says ran, whose usage report the log does not hold yet: what its budget reservation
 * is, so that the report, when a later receipt brings it, settles it. Kept in a state snapshot beside the store.
 *
 * @param actionId the call's receipt id, which its usage report names
 * @param budget   the budget's name
 * @param key      the store's key the estimate was added to
 * @param model    the model called (its price settles the report)
 */
record PendingUsage(String actionId, String budget, String key, Window.Span span, long reserved, String model) {
}
