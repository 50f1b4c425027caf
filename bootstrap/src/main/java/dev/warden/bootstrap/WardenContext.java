package dev.warden.bootstrap;

/**
 * The optional, tiny identity API for host code that knows who it is acting for. Nothing requires
 * it: without it the identity comes from the LangChain4j call under way (its memory id, its invocation
 * parameters), OpenTelemetry baggage, Spring Security's authentication, or the configured actor. What
 * is set here wins over all of them, for every action the thread makes, and travels with work the
 * thread hands to a pool or a new thread.
 *
 * <pre>{@code
 * try (WardenContext.Scope ignored = WardenContext.actAs("support-bot", "alice", "session-42")) {
 *     agent.chat(...);
 * }
 * }</pre>
 */
public final class WardenContext {

    /** Who acts, for whom, in which session; any may be null. */
    public record Identity(String actor, String onBehalfOf, String session) {
        static final Identity NONE = new Identity(null, null, null);
    }

    /** Restores the previous explicit identity when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private WardenContext() {
    }

    public static Scope actAs(String actor, String onBehalfOf, String session) {
        ThreadIdentity current = ThreadIdentity.get();
        Identity previous = current == null ? null : current.explicit();
        ThreadIdentity.set(ThreadIdentity.withExplicit(current, new Identity(actor, onBehalfOf, session)));
        // Closing restores only what this set: the calls under way on the thread keep their own identity.
        return () -> ThreadIdentity.set(ThreadIdentity.withExplicit(ThreadIdentity.get(), previous));
    }

    public static Identity current() {
        ThreadIdentity identity = ThreadIdentity.get();
        return identity != null && identity.explicit() != null ? identity.explicit() : Identity.NONE;
    }
}
