package dev.warden.agent.identity;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Ambient;
import dev.warden.bootstrap.ThreadIdentity;
import dev.warden.bootstrap.WardenContext;

/**
 * Who performs an action, for whom, in which session: resolved here, once, for every surface. Each
 * of the three is the first of, in this order (DESIGN.md §3):
 * <ol>
 *   <li>what the host set explicitly through {@link WardenContext};</li>
 *   <li>the LangChain4j call: the call under way on the thread that binds what it causes (the outermost
 *       permitted tool or model call naming someone, or AI-service invocation, or the one that handed the
 *       work to this thread), all three names at once; outside one, the action's own hints when it is a
 *       tool or model call (its memory id, invocation parameters), then the call under way that binds
 *       nothing. A nested AI service's memory id may come from a tool's arguments: the model must not
 *       choose the session, actor or user of what it causes, so inside a binding call it is only a fact;</li>
 *   <li>OpenTelemetry baggage ({@code enduser.id} as the actor, {@code session.id} as the session);</li>
 *   <li>Spring Security's current authentication (its name as the actor);</li>
 *   <li>the configured default actor.</li>
 * </ol>
 * Inside a call, baggage and authentication are those the outermost call began under: what the
 * call's own code does to them later does not change who the call acts for. Bootstrap gathers the
 * hints ({@link ThreadIdentity}); only this class orders them.
 */
public final class IdentityResolver {

    /** The resolved identity of one action. */
    public record Identity(String actor, String onBehalfOf, String session) {
    }

    private final String defaultActor;
    /** Who acts when nothing names anyone: most actions of most hosts, so made once. */
    private final Identity byDefault;

    public IdentityResolver(String defaultActor) {
        this.defaultActor = defaultActor;
        this.byDefault = new Identity(defaultActor, null, null);
    }

    public Identity resolve(ActionRequest request) {
        return resolve(request, ThreadIdentity.current());
    }

    Identity resolve(ActionRequest request, ThreadIdentity thread) {
        WardenContext.Identity explicit = thread == null ? null : thread.explicit();
        WardenContext.Identity call = thread == null ? null : thread.call();
        Ambient ambient = thread == null ? null : thread.ambient();
        // A binding call names all three or leaves them to what follows it: the request's hints fill in none.
        WardenContext.Identity bound = thread != null && thread.binds() ? call : null;
        Object ownActor = bound == null ? request.attribute("actor") : bound.actor();
        Object ownOnBehalfOf = bound == null ? request.attribute("onBehalfOf") : bound.onBehalfOf();
        Object ownSession = bound == null ? request.attribute("session") : bound.session();
        if (bound != null) {
            call = null;
        }
        String actor = first(explicit == null ? null : explicit.actor(), ownActor, call == null ? null : call.actor(),
                ambient == null ? null : ambient.baggageActor());
        if (actor == null) {
            actor = first(ambient == null ? null : ambient.authenticatedUser(), defaultActor, null, null);
        }
        String onBehalfOf = first(explicit == null ? null : explicit.onBehalfOf(), ownOnBehalfOf,
                call == null ? null : call.onBehalfOf(), null);
        String session = first(explicit == null ? null : explicit.session(), ownSession, call == null ? null : call.session(),
                ambient == null ? null : ambient.baggageSession());
        if (onBehalfOf == null && session == null && java.util.Objects.equals(actor, defaultActor)) {
            return byDefault;
        }
        return new Identity(actor, onBehalfOf, session);
    }

    /** The first hint that names someone: a non-empty string (four at most: no array per action). */
    private static String first(Object a, Object b, Object c, Object d) {
        return names(a) ? (String) a : names(b) ? (String) b : names(c) ? (String) c : names(d) ? (String) d : null;
    }

    private static boolean names(Object hint) {
        return hint instanceof String s && !s.isEmpty();
    }
}
