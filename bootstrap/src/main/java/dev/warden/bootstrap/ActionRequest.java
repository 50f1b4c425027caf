package dev.warden.bootstrap;

import java.util.Map;

/**
 * What instrumented code knows about an action when it asks the gate: the surface, and whatever the
 * call's arguments say. The agent's enricher for the surface fills in operation and target when the
 * advice cannot (for SQL, from the statement text).
 *
 * @param surface    {@code jdbc}, {@code http}, {@code tool}, {@code model}, {@code net}, ...
 * @param operation  the operation when the call site knows it, else null
 * @param target     the target when the call site knows it, else null
 * @param attributes raw facts from the call (JDK types: String, Number, Boolean, collections of those)
 */
public record ActionRequest(String surface, String operation, String target, Map<String, Object> attributes) {

    public ActionRequest {
        attributes = Map.copyOf(attributes);
    }

    public static ActionRequest of(String surface, Map<String, Object> attributes) {
        return new ActionRequest(surface, null, null, attributes);
    }

    public Object attribute(String name) {
        return attributes.get(name);
    }
}
