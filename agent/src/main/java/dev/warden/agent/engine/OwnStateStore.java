package dev.warden.agent.engine;

import dev.warden.bootstrap.http.StoreEndpoint;
import dev.warden.instrumentation.api.ActionDescription;

import java.util.Set;

/**
 * The shared state store ({@code state=redis://...}) is Warden's, not the host's. Counts, session labels and
 * approval requests live there in plain keys, and Redis answers anyone who connects: an agent whose tools reach
 * it (the application's own cache client, a permitted connect) could delete a limit's count, reopen a used
 * approval or rewrite a held request to need nobody. So before the rules, a host connect or HTTP request that
 * reaches the store ({@link StoreEndpoint}) is refused as {@link #RULE}, in every mode, with its receipt. A connect
 * an HTTP request's grant covers is decided all the same when it reaches the store, so a name only DNS leads there
 * by is refused at the connect. Warden's own connections are never decided.
 */
public final class OwnStateStore implements WardensOwn {

    public static final String RULE = "warden.own-state";

    /** Redis answers over a connection only. */
    private static final Set<String> NET_ACTIONS = Set.of("CONNECT");

    private final String describe;
    private final StoreEndpoint endpoint;

    /** @param describe the store as Warden names it ({@code redis://127.0.0.1:6379}) */
    public OwnStateStore(String describe, StoreEndpoint endpoint) {
        this.describe = describe;
        this.endpoint = endpoint;
    }

    @Override
    public String rule() {
        return RULE;
    }

    @Override
    public String refusal(String surface, ActionDescription action) {
        String reached = OwnEndpoint.reached(surface, action, endpoint, NET_ACTIONS);
        return reached == null ? null : "Warden's state store " + describe + " is at " + reached + ": no host action connects to it";
    }
}
