package dev.warden.bootstrap.langchain4j;

import dev.warden.bootstrap.Attachment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who an AI-service invocation acts for, as its invocation parameters named it when it began. LangChain4j's
 * {@code InvocationParameters} are a map the invocation's own tools may write ("data can be passed from one tool to
 * another"), and a tool that notes down a key and value the model chose would otherwise let the model name the actor,
 * the user or the session of every later step: a streaming service enters its invocation again at each turn, from
 * its provider's callback, and read them anew (found by a seventh review, 2026-12-07: rita's assistant noted
 * {@code warden.onBehalfOf=max} and updated a deal only a manager may). So the first reading of an invocation
 * (by its {@code InvocationContext}, one object for all its steps) is kept, and every later step reads that.
 */
final class ParametersAsBegun {

    private static final List<String> IDENTITY = List.of(ToolActions.ACTOR_PARAMETER, ToolActions.ON_BEHALF_OF_PARAMETER,
            ToolActions.SESSION_PARAMETER);
    private static final Attachment<Map<String, Object>> BEGUN = new Attachment<>();

    private ParametersAsBegun() {
    }

    /**
     * The identity entries of the invocation's parameters as first read for {@code context}; {@code parameters}
     * itself when there is no context to remember them by.
     */
    static Map<String, Object> of(Object context, Map<String, Object> parameters) {
        if (context == null) {
            return parameters;
        }
        Map<String, Object> begun = BEGUN.get(context);
        if (begun != null) {
            return begun;
        }
        Map<String, Object> identity = new HashMap<>(4);
        if (parameters != null) {
            for (String key : IDENTITY) {
                Object value = parameters.get(key);
                if (value != null) {
                    identity.put(key, value);
                }
            }
        }
        return BEGUN.setIfAbsent(context, Map.copyOf(identity));
    }
}
