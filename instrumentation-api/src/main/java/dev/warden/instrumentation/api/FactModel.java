package dev.warden.instrumentation.api;

import java.util.Set;
import java.util.TreeSet;

/**
 * What a surface's actions can look like to rules: the operations it produces and the attribute names
 * its descriptions carry (what the advice packs and what the enricher adds). Declared by the enricher
 * that makes the facts, so the rule linter ({@code check-rules}) can tell {@code text("url.hots")} or
 * {@code operation == "selct"} from a real fact, and a unit test per surface can check the declaration
 * against what the enricher produces.
 *
 * @param operations        the operations, exactly as rules compare them ({@code SELECT}, {@code chat})
 * @param anyOperation      whether the operation is a name the host chooses (a tool's name), so that any is possible
 * @param attributes        attribute names
 * @param attributePrefixes prefixes of attribute names made from the action's own content ({@code arg.} + a tool argument's name)
 * @param targetAttributes  the attributes that name what the action touches, as its target does ({@code url.host},
 *                          {@code file.path}): a permit that compares one of them restricts its target
 */
public record FactModel(Set<String> operations, boolean anyOperation, Set<String> attributes, Set<String> attributePrefixes,
                        Set<String> targetAttributes) {

    public FactModel {
        operations = Set.copyOf(operations);
        attributes = Set.copyOf(attributes);
        attributePrefixes = Set.copyOf(attributePrefixes);
        targetAttributes = Set.copyOf(targetAttributes);
    }

    /** A surface with a fixed set of operations. */
    public static FactModel of(Set<String> operations, Set<String> attributes) {
        return new FactModel(operations, false, attributes, Set.of(), Set.of());
    }

    /** A surface whose operation is a name the host chooses (a tool's). */
    public static FactModel anyOperation(Set<String> attributes) {
        return new FactModel(Set.of(), true, attributes, Set.of(), Set.of());
    }

    /** This model, where attribute names starting with {@code prefixes} are facts too. */
    public FactModel withAttributePrefixes(String... prefixes) {
        return new FactModel(operations, anyOperation, attributes, Set.of(prefixes), targetAttributes);
    }

    /** This model with more attribute names (what an advice packs beside what the enricher adds). */
    public FactModel withAttributes(Set<String> more) {
        Set<String> all = new TreeSet<>(attributes);
        all.addAll(more);
        return new FactModel(operations, anyOperation, all, attributePrefixes, targetAttributes);
    }

    /** This model, where {@code names} (declared attributes) name the action's target. */
    public FactModel withTargetAttributes(String... names) {
        FactModel with = new FactModel(operations, anyOperation, attributes, attributePrefixes, Set.of(names));
        for (String name : names) {
            if (!declaresAttribute(name)) {
                throw new IllegalArgumentException("target attribute " + name + " is not declared");
            }
        }
        return with;
    }

    public boolean declaresAttribute(String name) {
        return attributes.contains(name) || attributePrefixes.stream().anyMatch(prefix -> name.startsWith(prefix) && name.length() > prefix.length());
    }

    public boolean declaresOperation(String operation) {
        return anyOperation || operations.contains(operation);
    }

    /** What {@code description} carries that this model does not declare: its operation, attribute names. */
    public Set<String> undeclared(ActionDescription description) {
        Set<String> undeclared = new TreeSet<>();
        if (!declaresOperation(description.operation())) {
            undeclared.add("operation " + description.operation());
        }
        description.attributes().keySet().stream().filter(name -> !declaresAttribute(name)).forEach(undeclared::add);
        return undeclared;
    }
}
