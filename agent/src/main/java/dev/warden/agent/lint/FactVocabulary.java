package dev.warden.agent.lint;

import dev.warden.instrumentation.api.FactModel;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.rules.Action;
import dev.warden.rules.FactName;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What rules can compare against: the surfaces present and the facts each declares (from their
 * enrichers), the {@link Action} helpers that take a fact's name (from their {@link FactName}
 * annotation), and the context stage's facts under the policy being linted.
 *
 * @param surfaces         each surface's facts, by name
 * @param attributeHelpers the methods whose first argument names an attribute ({@code text}, {@code flag}, ...)
 * @param stateHelpers     the methods whose first argument names a context fact ({@code state}, ...)
 * @param stateFacts       the context facts the policy's state sections and the stage's contributors provide
 */
public record FactVocabulary(Map<String, FactModel> surfaces, Set<String> attributeHelpers, Set<String> stateHelpers,
                             Set<String> stateFacts) {

    public FactVocabulary {
        // Sorted, so that messages list them in a stable order.
        surfaces = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(surfaces));
        attributeHelpers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(attributeHelpers));
        stateHelpers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(stateHelpers));
        stateFacts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(stateFacts));
    }

    /** The surfaces of {@code modules} and the helpers of {@link Action}. */
    public static FactVocabulary of(Iterable<InstrumentationModule> modules, Set<String> stateFacts) {
        Map<String, FactModel> surfaces = new TreeMap<>();
        for (InstrumentationModule module : modules) {
            if (module.isSurface()) {
                surfaces.put(module.surface(), module.enricher().facts());
            }
        }
        return new FactVocabulary(surfaces, helpers(FactName.Kind.ATTRIBUTE), helpers(FactName.Kind.STATE), stateFacts);
    }

    /** Every surface module on the agent's class path, as the agent finds them. */
    public static Iterable<InstrumentationModule> installedModules() {
        return ServiceLoader.load(InstrumentationModule.class, FactVocabulary.class.getClassLoader());
    }

    private static Set<String> helpers(FactName.Kind kind) {
        Set<String> names = new TreeSet<>();
        for (Method method : Action.class.getMethods()) {
            FactName annotation = method.getAnnotation(FactName.class);
            if (annotation != null && annotation.value() == kind) {
                names.add(method.getName());
            }
        }
        return names;
    }

    /** Every attribute name any of {@code surfaceNames} declares. */
    Set<String> attributesOf(Set<String> surfaceNames) {
        Set<String> names = new TreeSet<>();
        surfaceNames.forEach(surface -> names.addAll(surfaces.get(surface).attributes()));
        return names;
    }
}
