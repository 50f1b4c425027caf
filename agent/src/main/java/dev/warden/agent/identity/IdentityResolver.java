package dev.warden.agent.identity;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.WardenContext;

/**
 * Who performs an action, for whom, in which session. In order: what the host set explicitly
 * through {@link WardenContext}; what the surface knows (a LangChain4j memory id, for instance,
 * passed as the {@code actor}/{@code session}/{@code onBehalfOf} request attributes); the
 * configured default actor.
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
        WardenContext.Identity explicit = WardenContext.current();
        return new Identity(
                first(explicit.actor(), request.attribute("actor"), defaultActor),
                first(explicit.onBehalfOf(), request.attribute("onBehalfOf"), null),
                first(explicit.session(), request.attribute("session"), null));
    }

    private static String first(String explicit, Object fromSurface, String fallback) {
        if (explicit != null) {
            return explicit;
        }
        return fromSurface instanceof String ? (String) fromSurface : fallback;
    }
}
