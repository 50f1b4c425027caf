package dev.warden.agent.context;

import dev.warden.rules.state.Limit;
import dev.warden.rules.state.Window;

import java.time.ZoneId;
import java.util.List;

/**
 * {@code limits:}: at most {@code max} of the covered actions per actor, session or user in a window.
 * Each covered action takes one unit before it is recorded; an action that does not run gives it back,
 * so the limit counts what ran, and racing actions never together exceed it.
 */
final class Limits implements StateContributor {

    private final List<Limit> limits;
    private final StateStore store;
    private final ZoneId zone;

    Limits(List<Limit> limits, StateStore store, ZoneId zone) {
        this.limits = List.copyOf(limits);
        this.store = store;
        this.zone = zone;
    }

    @Override
    public void check(ContextAction action, StateCheck check) {
        for (Limit limit : limits) {
            if (!limit.scopes().everything() && !limit.scopes().matchesAny(action.names(), action.labels())) {
                continue;
            }
            String key = "limit:" + limit.name() + ":" + action.owner(limit.per());
            Window.Span span = limit.window().span(action.time(), zone);
            StateStore.Acquisition taken = store.acquire(key, span, 1, limit.max());
            String window = limit.window().describe();
            if (!taken.granted()) {
                check.deny("limit:" + limit.name(), "limit " + limit.name() + ": " + (taken.before() + 1) + " > " + limit.max()
                        + " " + window + " for " + action.ownerText(limit.per()));
                check.fact("limits", limit.name(), (taken.before() + 1) + " of " + limit.max() + " " + window + " (refused)");
                continue;
            }
            check.fact("limits", limit.name(), (taken.before() + 1) + " of " + limit.max() + " " + window);
            check.onSettle(proceeded -> {
                if (!proceeded) {
                    store.adjust(key, taken.bucket(), span.expiresAtMillis(), -1);
                }
            });
        }
    }

    @Override
    public void replay(PastAction past, long nowMillis) {
        if (!past.proceeded() || past.observation()) {
            return;
        }
        ContextAction action = past.action();
        for (Limit limit : limits) {
            Window.Span span = limit.window().span(action.time(), zone);
            if (span.expiresAtMillis() > nowMillis
                    && (limit.scopes().everything() || limit.scopes().matchesAny(action.names(), action.labels()))) {
                store.adjust("limit:" + limit.name() + ":" + action.owner(limit.per()), span.current(), span.expiresAtMillis(), 1);
            }
        }
    }

    @Override
    public java.util.Set<String> factNames() {
        return limits.stream().map(Limits::factName).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static String factName(Limit limit) {
        return "limit." + limit.name() + ".count";
    }

    @Override
    public boolean assume(String name, Object value, ContextAction action) {
        for (Limit limit : limits) {
            if (name.equals(factName(limit))) {
                Window.Span span = limit.window().span(action.time(), zone);
                store.adjust("limit:" + limit.name() + ":" + action.owner(limit.per()), span.current(), span.expiresAtMillis(),
                        Assumed.count(name, value));
                return true;
            }
        }
        return false;
    }

    @Override
    public Object fact(String name, ContextAction action) {
        for (Limit limit : limits) {
            if (name.equals(factName(limit))) {
                return store.total("limit:" + limit.name() + ":" + action.owner(limit.per()), limit.window().span(action.time(), zone));
            }
        }
        return null;
    }
}
