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
     * @param context the invocation's {@code InvocationContext}, the same object at each of its steps, or null
     * @return the enclosing invocation's identity, to restore
     */
    public static Object enter(Object memoryId, Map<String, Object> parameters, String aiService, String method, Object context) {
        Map<String, Object> previous = CURRENT.get();
        Map<String, Object> attributes = new HashMap<>(8);
        Identity.fromInvocation(ParametersAsBegun.of(context, parameters), memoryId, attributes);
        Object identity = ThreadIdentity.enterInvocation((String) attributes.get("actor"), (String) attributes.get("onBehalfOf"),
                (String) attributes.get("session"), context);
        // Inside a binding call (a nested service a tool calls), its calls name that call's identity; the memory id stays a fact.
        Identity.boundBy(ThreadIdentity.bindingCall(null), attributes);
        if (memoryId != null) {
            attributes.put("memoryId", String.valueOf(memoryId));
        }
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
