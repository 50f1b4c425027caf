package dev.warden.bootstrap;

/**
 * The optional, tiny identity API for host code that knows who it is acting for. Nothing requires
 * it: without it the actor comes from the surface (a LangChain4j memory id, baggage) or from config.
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

    /** Restores the previous identity when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static final ThreadLocal<Identity> CURRENT = new ThreadLocal<>();

    private WardenContext() {
    }

    public static Scope actAs(String actor, String onBehalfOf, String session) {
        Identity previous = CURRENT.get();
        CURRENT.set(new Identity(actor, onBehalfOf, session));
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    public static Identity current() {
        Identity identity = CURRENT.get();
        return identity != null ? identity : Identity.NONE;
    }
}
