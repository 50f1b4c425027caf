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
 *
 * <p>LangChain4j hands each invocation the application's parameters object itself, not a copy: an application that
 * keeps one for a user's requests began the next invocation with what the last one's tool wrote (found by an eighth
 * review, 2026-12-07: the next request updated the deal for max). So what a tool wrote to these entries is undone
 * when it returns ({@link #putBack}); the application's own writes between its requests stand.
 */
final class ParametersAsBegun {

    private static final List<String> IDENTITY = List.of(ToolActions.ACTOR_PARAMETER, ToolActions.ON_BEHALF_OF_PARAMETER,
            ToolActions.SESSION_PARAMETER);
    private static final Attachment<Map<String, Object>> BEGUN = new Attachment<>();
    /**
     * The same, by the parameters' map (the application's object, shared by every context of an invocation and by the
     * next invocations it is handed to): LangChain4j 1.19 gives a tool call another {@code InvocationContext} than the
     * service's proxy, so where only models are gated the tool's context was never read.
     */
    private static final Attachment<Map<String, Object>> BEGUN_BY_MAP = new Attachment<>();

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
        Map<String, Object> kept = BEGUN.setIfAbsent(context, Map.copyOf(identity));
        if (parameters != null) {
            BEGUN_BY_MAP.set(parameters, kept);
        }
        return kept;
    }

    /**
     * Puts the identity entries of {@code parameters} back as the invocation of {@code context} began with them (else
     * as the latest invocation handed this map did): called when one of its tools returns, whatever the tool wrote
     * there. Never throws: a map that cannot be written keeps
     * what it holds (every step of this invocation still reads what it began with).
     */
    static void putBack(Object context, Map<String, Object> parameters) {
        if (parameters == null) {
            return;
        }
        // The invocation's own first: another invocation given the same map may have begun while this tool ran.
        Map<String, Object> begun = BEGUN.get(context);
        if (begun == null) {
            begun = BEGUN_BY_MAP.get(parameters);
        }
        if (begun == null) {
            return;
        }
        try {
            for (String key : IDENTITY) {
                Object was = begun.get(key);
                if (was == null) {
                    parameters.remove(key);
                } else if (!was.equals(parameters.get(key))) {
                    parameters.put(key, was);
                }
            }
        } catch (RuntimeException unwritable) {
            // an application's map that refuses writes: nothing a tool could have changed either
        }
    }
}
