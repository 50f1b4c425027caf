package dev.warden.bootstrap.langchain4j;

import dev.warden.bootstrap.ThreadIdentity;

import java.util.HashMap;
import java.util.Map;

/**
 * The AI-service invocation a thread is running, so that the model calls it makes carry the same
 * identity as its tool calls: a chat request knows nothing of memory ids or invocation parameters,
 * the invocation does. Its identity is also the thread's while it runs ({@link ThreadIdentity}), so
 * that whatever else the invocation does (a guardrail's query, work it hands to a pool) is done for it.
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
        Object identity = ThreadIdentity.enterInvocation((String) attributes.get("actor"), (String) attributes.get("onBehalfOf"),
                (String) attributes.get("session"));
        ToolActions.put(attributes, "aiService.interface", aiService);
        ToolActions.put(attributes, "aiService.method", method);
        CURRENT.set(attributes);
        return new Entered(previous, identity);
    }

    /** Ends the invocation {@link #enter} entered; anything else ends nothing. */
    public static void exit(Object entered) {
        if (!(entered instanceof Entered)) {
            return;
        }
        Entered ended = (Entered) entered;
        ThreadIdentity.exitInvocation(ended.identity);
        if (ended.previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(ended.previous);
        }
    }

    /** An invocation entered: the one it encloses, and the thread identity to restore. */
    private record Entered(Map<String, Object> previous, Object identity) {
    }

    /** Adds the current invocation's identity hints to a model action's attributes. */
    static void addTo(Map<String, Object> attributes) {
        Map<String, Object> current = CURRENT.get();
        if (current != null) {
            current.forEach(attributes::putIfAbsent);
        }
    }
}
