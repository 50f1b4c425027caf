package dev.warden.agent.engine;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the engine derives from a request alone — its description, digest and receipt summary —
 * computed once per distinct request. A prepared statement executed a million times is one
 * request: the lexer, the maps and the digest are not rebuilt per execution. Bounded: when full it
 * starts afresh, which costs one recomputation per request shape.
 */
final class DescribedActions {

    /** A request, described. */
    record Described(ActionDescription description, String digest, Map<String, String> summary) {
    }

    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<ActionRequest, Described> described = new ConcurrentHashMap<>();

    Described describe(ActionRequest request, Function<ActionRequest, Described> describer) {
        Described known = described.get(request);
        if (known != null) {
            return known;
        }
        Described fresh = describer.apply(request);
        if (described.size() >= MAX_ENTRIES) {
            described.clear();
        }
        described.put(request, fresh);
        return fresh;
    }
}
