package dev.warden.bootstrap;

import java.util.Map;
import java.util.Objects;

/**
 * What instrumented code knows about an action when it asks the gate: the surface, and whatever the
 * call's arguments say. The agent's enricher for the surface fills in operation and target when the
 * advice cannot (for SQL, from the statement text).
 * <p>
 * Immutable. A class rather than a record only to cache its hash: the engine looks every request
 * up by value to reuse what it derived from an identical one, and hashing a dozen attributes twice
 * per decision is measurable.
 */
public final class ActionRequest {

    private final String surface;
    private final String operation;
    private final String target;
    private final Map<String, Object> attributes;
    private final String binding;
    private int hash; // 0 until computed; racy but idempotent, like String's

    /**
     * @param surface    {@code jdbc}, {@code http}, {@code tool}, {@code model}, {@code net}, ...
     * @param operation  the operation when the call site knows it, else null
     * @param target     the target when the call site knows it, else null
     * @param attributes raw facts from the call (JDK types: String, Number, Boolean, collections of those;
     *                   or one immutable request record of the surface's own, compared by value, such
     *                   as {@code http}'s {@code OutboundRequest}, for its enricher to describe)
     */
    public ActionRequest(String surface, String operation, String target, Map<String, Object> attributes) {
        this(surface, operation, target, attributes, null);
    }

    /**
     * @param binding the digest of what the action binds beyond the facts rules see (a prepared
     *                statement's bound parameter values, hashed), or null: part of the action digest,
     *                but not of this request's equality, so that what the engine derives from the facts
     *                is derived once for every execution of the statement
     */
    public ActionRequest(String surface, String operation, String target, Map<String, Object> attributes, String binding) {
        this.surface = surface;
        this.operation = operation;
        this.target = target;
        this.attributes = Map.copyOf(attributes);
        this.binding = binding;
    }

    private ActionRequest(ActionRequest facts, String binding) {
        this.surface = facts.surface;
        this.operation = facts.operation;
        this.target = facts.target;
        this.attributes = facts.attributes;
        this.binding = binding;
        this.hash = facts.hash;
    }

    /**
     * This request binding {@code binding} instead: the same facts, their hash included, so a statement
     * executed again with other values is looked up without hashing its facts again.
     */
    public ActionRequest withBinding(String binding) {
        hashCode();
        return new ActionRequest(this, binding);
    }

    public static ActionRequest of(String surface, Map<String, Object> attributes) {
        return new ActionRequest(surface, null, null, attributes);
    }

    public String surface() {
        return surface;
    }

    public String operation() {
        return operation;
    }

    public String target() {
        return target;
    }

    public Map<String, Object> attributes() {
        return attributes;
    }

    public Object attribute(String name) {
        return attributes.get(name);
    }

    /** The digest of the values the action binds (see the constructor), or null. */
    public String binding() {
        return binding;
    }

    /** Whether {@code other} is the same action: an equal request that binds the same values. */
    public boolean sameAction(ActionRequest other) {
        return equals(other) && Objects.equals(binding, other.binding);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof ActionRequest that
                && hashCode() == that.hashCode()
                && Objects.equals(surface, that.surface)
                && Objects.equals(operation, that.operation)
                && Objects.equals(target, that.target)
                && attributes.equals(that.attributes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Objects.hash(surface, operation, target, attributes);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "ActionRequest[surface=" + surface + ", operation=" + operation + ", target=" + target
                + ", attributes=" + attributes + (binding == null ? "" : ", binding=" + binding) + "]";
    }
}
