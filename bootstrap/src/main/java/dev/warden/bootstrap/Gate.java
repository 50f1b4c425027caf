package dev.warden.bootstrap;

/**
 * The one entry point from instrumented code into Warden. The agent installs the engine once at
 * start; until it does, and whenever it fails, every action is refused.
 * <p>
 * Everything here is reachable by host code (it is public, in the boot loader), so nothing here may
 * weaken the gate: {@link #decide} only ever adds a decision and a receipt, {@link #install} works
 * once, and marking a thread as Warden's own needs the {@link Capability} that only the installer
 * receives.
 */
public final class Gate {

    /** The agent-side decision maker. */
    public interface Engine {
        Decision decide(ActionRequest request);

        /**
         * Records what was observed after a permitted action ran (a model call's token usage), linked
         * to the action's receipt id. The engine accepts one observation per permitted action it
         * expects one for, and ignores the rest; it records it for the actor, user and session that action was
         * decided for, whichever thread reports it (a streaming provider's own, say).
         */
        default void observe(String actionId, String surface, String kind, java.util.Map<String, Object> facts) {
        }
    }

    /**
     * What only the agent holds: the right to mark its own threads and its own calls as Warden's
     * work, which is never gated. Handed out once, by {@link #install}.
     */
    public static final class Capability {

        private Capability() {
        }

        /** Marks the current thread as Warden's own for its whole life (the agent's background threads). */
        public void markInternalThread() {
            INTERNAL.set(Boolean.TRUE);
        }

        /** Runs {@code work} as Warden's own work on the current thread. */
        public void runInternally(Runnable work) {
            boolean wasInternal = enterInternal();
            try {
                work.run();
            } finally {
                exitInternal(wasInternal);
            }
        }
    }

    private static volatile Engine engine;
    private static boolean installed;

    // Cleared by setting FALSE, not by remove(): removing clears a weak reference, which costs a
    // JVM call on every decision, and a thread that asked once will ask again.
    private static final ThreadLocal<Boolean> INTERNAL = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Gate() {
    }

    /**
     * Installs the engine. Works once per JVM: the second call, whoever makes it, is refused.
     *
     * @return the capability of the one installer
     * @throws IllegalStateException when an engine was installed already
     */
    public static synchronized Capability install(Engine installed) {
        if (Gate.installed) {
            throw new IllegalStateException("the warden engine is installed already");
        }
        if (installed == null) {
            throw new IllegalArgumentException("no engine");
        }
        Gate.installed = true;
        engine = installed;
        return new Capability();
    }

    /** Decides an action. Never throws: any failure is a fail-closed denial naming it. */
    public static Decision decide(ActionRequest request) {
        Engine current = engine;
        if (current == null) {
            return Decision.failClosed("warden engine is not installed", null);
        }
        if (request == null) {
            return Decision.failClosed("no action to decide", null);
        }
        // The ambient identity (baggage, Spring Security) is the application's code: read on this side of the gate.
        ThreadIdentity identity = ThreadIdentity.get();
        boolean filled = !isInternal() && ThreadIdentity.fillAmbient(identity);
        boolean wasInternal = enterInternal();
        try {
            Decision decision = current.decide(request);
            return decision != null ? decision : Decision.failClosed("engine returned no decision", null);
        } catch (Throwable failure) {
            return Decision.unreadable("gate failure", failure);
        } finally {
            exitInternal(wasInternal);
            if (filled) {
                ThreadIdentity.set(identity);
            }
        }
    }

    /**
     * Refuses an action of {@code surface} whose call could not be read (its objects threw as the
     * advice read them, or are of a kind the advice never reads) and records the refusal: the engine
     * refuses it as Warden's own failure, without asking the rules. Never throws; when even the
     * record fails, {@code failure} itself is the refusal.
     *
     * @param failure the fail-closed decision naming what could not be read
     */
    public static Decision refuseUnreadable(String surface, Decision failure) {
        Decision recorded = decide(ActionRequest.of(surface,
                java.util.Map.of(Decision.UNREADABLE_ATTRIBUTE, String.valueOf(failure.reason()))));
        return recorded.blocks() ? recorded : failure;
    }

    /**
     * Records an observation about an action that already ran (see {@link Engine#observe}). Never
     * throws: the action is over, and what could not be recorded must not fail it after the fact. Only
     * {@code ModelActions.usage} is heard (the eleventh review: host code that called this first with usage 0 for a
     * running call, whose receipt id it read, had the provider's report ignored and its budget count nothing).
     */
    public static void observe(String actionId, String surface, String kind, java.util.Map<String, Object> facts) {
        Engine current = engine;
        if (current == null || !Callers.isUsageReport(Callers.WALKER.getCallerClass())) {
            return; // only ModelActions reports, for a call's own reporter: a report is taken once, so the first must be real
        }
        // No ambient identity is read: the observation counts for whom its action was decided, not for this thread.
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

    private static boolean enterInternal() {
        boolean wasInternal = isInternal();
        if (!wasInternal) {
            INTERNAL.set(Boolean.TRUE);
        }
        return wasInternal;
    }

    private static void exitInternal(boolean wasInternal) {
        if (!wasInternal) {
            INTERNAL.set(Boolean.FALSE);
        }
    }
}
