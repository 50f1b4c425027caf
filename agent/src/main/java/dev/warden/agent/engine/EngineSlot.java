package dev.warden.agent.engine;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.util.Map;

/**
 * What the agent installs in the gate at the very start of premain, before the engine exists: the
 * gate can be installed once only, and its capability is needed to start Warden's own threads.
 * Until the engine is in place, every action is refused.
 */
public final class EngineSlot implements Gate.Engine {

    private volatile Gate.Engine engine;

    /** Puts the engine in place; once. */
    public void fill(Gate.Engine filled) {
        if (engine != null) {
            throw new IllegalStateException("the engine slot is filled already");
        }
        engine = filled;
    }

    @Override
    public Decision decide(ActionRequest request) {
        Gate.Engine current = engine;
        return current == null ? Decision.failClosed("warden is still starting", null) : current.decide(request);
    }

    @Override
    public void observe(String actionId, String surface, String kind, Map<String, Object> facts) {
        Gate.Engine current = engine;
        if (current != null) {
            current.observe(actionId, surface, kind, facts);
        }
    }
}
