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
 *   <li>the LangChain4j call: the action's own hints when it is a tool or model call (its memory id,
 *       invocation parameters), else the call under way on the thread — the innermost tool or model
 *       call, or the AI-service invocation — or the one that handed the work to this thread;</li>
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

    public IdentityResolver(String defaultActor) {
        this.defaultActor = defaultActor;
    }

    public Identity resolve(ActionRequest request) {
        return resolve(request, ThreadIdentity.current());
    }

    Identity resolve(ActionRequest request, ThreadIdentity thread) {
        WardenContext.Identity explicit = thread == null ? null : thread.explicit();
        WardenContext.Identity call = thread == null ? null : thread.call();
        Ambient ambient = thread == null ? null : thread.ambient();
        return new Identity(
                first(explicit == null ? null : explicit.actor(), request.attribute("actor"), call == null ? null : call.actor(),
                        ambient == null ? null : ambient.baggageActor(), ambient == null ? null : ambient.authenticatedUser(),
                        defaultActor),
                first(explicit == null ? null : explicit.onBehalfOf(), request.attribute("onBehalfOf"),
                        call == null ? null : call.onBehalfOf()),
                first(explicit == null ? null : explicit.session(), request.attribute("session"), call == null ? null : call.session(),
                        ambient == null ? null : ambient.baggageSession()));
    }

    /** The first hint that names someone: a non-empty string. */
    private static String first(Object... hints) {
        for (Object hint : hints) {
            if (hint instanceof String && !((String) hint).isEmpty()) {
                return (String) hint;
            }
        }
        return null;
    }
}
