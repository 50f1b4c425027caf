package dev.warden.bootstrap.langchain4j;

import dev.warden.bootstrap.WardenContext;

import java.util.Map;

/**
 * Identity hints a LangChain4j call carries, as the request attributes the engine's identity
 * resolver reads ({@code actor}, {@code onBehalfOf}, {@code session}): the chat memory id is the
 * session unless the invocation parameters name one; the invocation parameters may name the actor and
 * the user it acts for. What the host sets through {@code WardenContext} still wins, in the engine. A
 * call made inside a permitted call names that call's identity instead ({@link #boundBy}).
 */
final class Identity {

    private Identity() {
    }

    static void fromInvocation(Map<String, Object> parameters, Object memoryId, Map<String, Object> attributes) {
        Object session = parameters == null ? null : parameters.get(ToolActions.SESSION_PARAMETER);
        if (session == null) {
            session = memoryId;
        }
        if (session != null) {
            attributes.put("session", String.valueOf(session));
        }
        if (parameters != null) {
            copy(parameters.get(ToolActions.ACTOR_PARAMETER), "actor", attributes);
            copy(parameters.get(ToolActions.ON_BEHALF_OF_PARAMETER), "onBehalfOf", attributes);
        }
    }

    /**
     * Replaces the hints with the identity of the call that binds this one ({@code ThreadIdentity#bindingCall}), if
     * any: a call made inside a permitted call is for that call, whatever memory id or parameters it was given.
     */
    static void boundBy(WardenContext.Identity binding, Map<String, Object> attributes) {
        if (binding == null) {
            return;
        }
        attributes.remove("actor");
        attributes.remove("onBehalfOf");
        attributes.remove("session");
        copy(binding.actor(), "actor", attributes);
        copy(binding.onBehalfOf(), "onBehalfOf", attributes);
        copy(binding.session(), "session", attributes);
    }

    private static void copy(Object value, String attribute, Map<String, Object> attributes) {
        if (value != null) {
            attributes.put(attribute, String.valueOf(value));
        }
    }
}
