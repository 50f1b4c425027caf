package dev.warden.agent.engine;

import dev.warden.bootstrap.ActionRequest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the engine derives from a request alone, computed once per distinct request. A prepared
 * statement executed a million times, or the same GET sent again, is one request: the lexer, the
 * maps, the digest and (see {@link DescribedAction}) the ruling are not rebuilt per execution.
 * Bounded: when full it starts afresh, which costs one recomputation per request shape.
 */
final class DescribedActions {

    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<ActionRequest, DescribedAction> described = new ConcurrentHashMap<>();

    DescribedAction describe(ActionRequest request, Function<ActionRequest, DescribedAction> describer) {
        DescribedAction known = described.get(request);
        if (known != null) {
            return known;
        }
        DescribedAction fresh = describer.apply(request);
        if (described.size() >= MAX_ENTRIES) {
            described.clear();
        }
        described.put(request, fresh);
        return fresh;
    }
}
