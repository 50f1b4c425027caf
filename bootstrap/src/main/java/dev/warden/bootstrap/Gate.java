package dev.warden.bootstrap;

/**
 * The one entry point from instrumented code into Warden. The agent installs the engine at start;
 * until it does, and whenever it fails, every action is refused.
 */
public final class Gate {

    /** The agent-side decision maker. */
    public interface Engine {
        Decision decide(ActionRequest request);

        /**
         * Records what was observed after a permitted action ran (a model call's token usage), linked
         * to the action's receipt id.
         */
        default void observe(String actionId, String surface, String kind, java.util.Map<String, Object> facts) {
        }
    }

    private static volatile Engine engine;

    // Cleared by setting FALSE, not by remove(): removing clears a weak reference, which costs a
    // JVM call on every decision, and a thread that asked once will ask again.
    private static final ThreadLocal<Boolean> INTERNAL = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Gate() {
    }

    public static void install(Engine installed) {
        engine = installed;
    }

    /** Decides an action. Never throws: any failure is a fail-closed denial naming it. */
    public static Decision decide(ActionRequest request) {
        Engine current = engine;
        if (current == null) {
            return Decision.failClosed("warden engine is not installed", null);
        }
        boolean wasInternal = enterInternal();
        try {
            Decision decision = current.decide(request);
            return decision != null ? decision : Decision.failClosed("engine returned no decision", null);
        } catch (Throwable failure) {
            return Decision.failClosed("gate failure: " + failure, null);
        } finally {
            exitInternal(wasInternal);
        }
    }

    /**
     * Records an observation about an action that already ran (see {@link Engine#observe}). Never
     * throws: the action is over, and what could not be recorded must not fail it after the fact.
     */
    public static void observe(String actionId, String surface, String kind, java.util.Map<String, Object> facts) {
        Engine current = engine;
        if (current == null) {
            return;
        }
        boolean wasInternal = enterInternal();
        try {
            current.observe(actionId, surface, kind, facts);
        } catch (Throwable ignored) {
            // Deliberately dropped: see above. The engine logs its own failures.
        } finally {
            exitInternal(wasInternal);
        }
    }

    /**
     * Whether the current thread is doing Warden's own work (deciding, writing receipts, exporting):
     * such I/O is never gated, and never evaluated recursively.
     */
    public static boolean isInternal() {
        return INTERNAL.get();
    }

    /**
     * Marks the current thread as doing Warden's own work until {@link #exitInternal} with the returned
     * token; used around driver calls Warden makes itself (reading connection metadata).
     */
    public static boolean enterInternal() {
        boolean wasInternal = isInternal();
        if (!wasInternal) {
            INTERNAL.set(Boolean.TRUE);
        }
        return wasInternal;
    }

    public static void exitInternal(boolean wasInternal) {
        if (!wasInternal) {
            INTERNAL.set(Boolean.FALSE);
        }
    }

    /** Marks the current thread as Warden's own for its whole life (the agent's background threads). */
    public static void markInternalThread() {
        INTERNAL.set(Boolean.TRUE);
    }
}
