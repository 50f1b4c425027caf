package dev.warden.bootstrap.langchain4j;

import java.util.HashMap;
import java.util.Map;

/**
 * The AI-service invocation a thread is running, so that the model calls it makes carry the same
 * identity as its tool calls: a chat request knows nothing of memory ids or invocation parameters,
 * the invocation does. Thread-bound: model calls a streaming provider makes from its own callback
 * threads are not covered, and fall back to the host's explicit identity or the configured actor.
 */
public final class Invocations {

    private static final ThreadLocal<Map<String, Object>> CURRENT = new ThreadLocal<>();

    private Invocations() {
    }

    /**
     * Enters an AI-service invocation; pass the result to {@link #exit}. Never throws.
     *
     * @return the enclosing invocation's identity, to restore
     */
    public static Object enter(Object memoryId, Map<String, Object> parameters, String aiService, String method) {
        Map<String, Object> previous = CURRENT.get();
        Map<String, Object> attributes = new HashMap<>(8);
        Identity.fromInvocation(parameters, memoryId, attributes);
        ToolActions.put(attributes, "aiService.interface", aiService);
        ToolActions.put(attributes, "aiService.method", method);
        CURRENT.set(attributes);
        return previous;
    }

    @SuppressWarnings("unchecked")
    public static void exit(Object previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set((Map<String, Object>) previous);
        }
    }

    /** Adds the current invocation's identity hints to a model action's attributes. */
    static void addTo(Map<String, Object> attributes) {
        Map<String, Object> current = CURRENT.get();
        if (current != null) {
            current.forEach(attributes::putIfAbsent);
        }
    }
}
