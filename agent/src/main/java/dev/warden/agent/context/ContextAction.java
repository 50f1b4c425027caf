package dev.warden.agent.context;

import dev.warden.rules.roles.Scopes;
import dev.warden.rules.state.Per;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One action as the context stage sees it: described, identified, classified (its labels come from
 * the rules' classification), not yet recorded.
 *
 * @param digest the action's digest: what it does, without per-call ids, so a repeat has the same one
 */
public record ContextAction(String id, Instant time, String surface, String operation, String target, Set<String> targets,
                            Map<String, Object> attributes, String digest, String actor, String onBehalfOf, String session,
                            Set<String> labels) {

    /** The same action with the labels classification rules attached to it. */
    public ContextAction withLabels(Set<String> classified) {
        if (classified.equals(labels)) {
            return this; // most actions: no label before, none after
        }
        return new ContextAction(id, time, surface, operation, target, targets, attributes, digest, actor, onBehalfOf,
                session, classified);
    }

    /** The key of whose count it is: an action without a session or user counts in its actor's. */
    public String owner(Per per) {
        return switch (per) {
            case ACTOR -> "actor:" + actor;
            case SESSION -> session != null ? "session:" + session : "actor:" + actor;
            case USER -> onBehalfOf != null ? "user:" + onBehalfOf : "actor:" + actor;
        };
    }

    /** Whose count it is, for reasons: {@code session s-42}. */
    public String ownerText(Per per) {
        return owner(per).replaceFirst(":", " ");
    }

    /**
     * The names the action goes by as scopes match them ({@code http:api.example.com:post}; a program also
     * by its real path and file name: {@link Scopes#namesOf}), for limits and chains. Made on demand: most
     * state rules cover every action ({@code **}) and never ask.
     */
    public List<List<String>> names() {
        return Scopes.namesOf(surface, operation, target, targets, attributes == null ? null : attributes::get);
    }
}
