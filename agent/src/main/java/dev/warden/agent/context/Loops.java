package dev.warden.agent.context;

import dev.warden.rules.state.Loop;
import dev.warden.rules.state.Per;
import dev.warden.rules.state.Window;

import java.time.ZoneId;
import java.util.List;

/**
 * {@code loops:}: the same action (same digest: what it does, without per-call ids) at most
 * {@code max} times in a session within a window. Only the repeated action is refused; the session's
 * other actions go on.
 */
final class Loops implements StateContributor {

    private final List<Loop> loops;
    private final StateStore store;
    private final ZoneId zone;

    Loops(List<Loop> loops, StateStore store, ZoneId zone) {
        this.loops = List.copyOf(loops);
        this.store = store;
        this.zone = zone;
    }

    @Override
    public void check(ContextAction action, StateCheck check) {
        for (Loop loop : loops) {
            String key = key(loop, action);
            Window.Span span = loop.within().span(action.time(), zone);
            StateStore.Acquisition taken = store.acquire(key, span, 1, loop.max());
            if (!taken.granted()) {
                check.deny("loop:" + loop.name(), "loop " + loop.name() + ": the same " + action.surface() + " "
                        + action.operation() + " " + (taken.before() + 1) + " times " + loop.within().describe()
                        + " (at most " + loop.max() + ") in " + action.ownerText(Per.SESSION));
                check.fact("loops", loop.name(), (taken.before() + 1) + " of " + loop.max() + " " + loop.within().describe() + " (refused)");
                continue;
            }
            if (taken.before() > 0) {
                check.fact("loops", loop.name(), (taken.before() + 1) + " of " + loop.max() + " " + loop.within().describe());
            }
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
        for (Loop loop : loops) {
            Window.Span span = loop.within().span(past.action().time(), zone);
            if (span.expiresAtMillis() > nowMillis) {
                store.adjust(key(loop, past.action()), span.current(), span.expiresAtMillis(), 1);
            }
        }
    }

    @Override
    public java.util.Set<String> factNames() {
        return loops.stream().map(loop -> "loop." + loop.name() + ".count").collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public Object fact(String name, ContextAction action) {
        for (Loop loop : loops) {
            if (name.equals("loop." + loop.name() + ".count")) {
                return store.total(key(loop, action), loop.within().span(action.time(), zone));
            }
        }
        return null;
    }

    private static String key(Loop loop, ContextAction action) {
        return "loop:" + loop.name() + ":" + action.owner(Per.SESSION) + ":" + action.digest();
    }
}
