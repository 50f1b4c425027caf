package dev.warden.agent.engine;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the agent installs in the gate at the very start of premain, before the engine exists: the gate can be
 * installed once only, and its capability is needed to start Warden's own threads. The engine is assembled on a
 * Warden thread while the host starts; an action that arrives before it is in
 * place waits for it, up to a bound, and is refused when the bound runs out or the assembly failed. Once filled,
 * a decision costs one volatile read more.
 */
public final class EngineSlot implements Gate.Engine {

    private final CountDownLatch filled = new CountDownLatch(1);
    private final long waitNanos;
    private volatile Gate.Engine engine;

    /** @param wait how long an action waits for the engine before it is refused */
    public EngineSlot(Duration wait) {
        this.waitNanos = wait.toNanos();
    }

    /** Puts the engine in place, and lets the actions waiting for it go on; once. */
    public synchronized void fill(Gate.Engine filledWith) {
        if (engine != null) {
            throw new IllegalStateException("the engine slot is filled already");
        }
        engine = filledWith;
        filled.countDown();
    }

    /** Puts in place an engine that refuses every action with {@code why}: the engine could not be assembled. */
    public void fail(String why) {
        fill(new Refusing("warden could not start: " + why));
    }

    /** Whether the engine is in place. */
    public boolean isFilled() {
        return engine != null;
    }

    @Override
    public Decision decide(ActionRequest request) {
        Gate.Engine current = engine;
        if (current == null) {
            current = awaitEngine();
            if (current == null) {
                return Decision.failClosed("warden is still starting", null);
            }
        }
        return current.decide(request);
    }

    @Override
    public void observe(String actionId, String surface, String kind, Map<String, Object> facts) {
        Gate.Engine current = engine;
        if (current != null) {
            current.observe(actionId, surface, kind, facts);
        }
    }

    private Gate.Engine awaitEngine() {
        try {
            filled.await(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // refused below; the host's thread keeps its interrupt
        }
        return engine;
    }

    /** The engine of a start that failed after the host began: every action refused, naming why. */
    private record Refusing(String why) implements Gate.Engine {
        @Override
        public Decision decide(ActionRequest request) {
            return Decision.failClosed(why, null);
        }
    }
}
