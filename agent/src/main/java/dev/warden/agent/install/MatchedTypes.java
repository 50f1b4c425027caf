package dev.warden.agent.install;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which surfaces' type matchers matched the types being transformed on this thread. A failure is
 * Warden's business only for a type one of its surfaces matched: a class that merely could not be
 * described (another agent's class, a generated one) is not a target, and the host hears nothing
 * about it. Transformations nest on one thread (a super type loaded while a sub type is described),
 * so entries are keyed by type and loader.
 */
final class MatchedTypes {

    private record Key(String typeName, ClassLoader loader) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.typeName.equals(typeName) && key.loader == loader;
        }

        @Override
        public int hashCode() {
            return typeName.hashCode() * 31 + System.identityHashCode(loader);
        }
    }

    private static final ThreadLocal<Map<Key, List<String>>> MATCHED = ThreadLocal.withInitial(HashMap::new);

    private MatchedTypes() {
    }

    static void matched(String typeName, ClassLoader loader, String surface) {
        List<String> surfaces = MATCHED.get().computeIfAbsent(new Key(typeName, loader), key -> new ArrayList<>(2));
        if (!surfaces.contains(surface)) {
            surfaces.add(surface);
        }
    }

    /** The surfaces that matched the type, empty when none did. */
    static List<String> surfacesOf(String typeName, ClassLoader loader) {
        return MATCHED.get().getOrDefault(new Key(normalise(typeName), loader), List.of());
    }

    /** Forgets the type once its transformation is over (whatever its outcome). */
    static List<String> forget(String typeName, ClassLoader loader) {
        List<String> surfaces = MATCHED.get().remove(new Key(normalise(typeName), loader));
        return surfaces == null ? List.of() : surfaces;
    }

    private static String normalise(String typeName) {
        return Objects.requireNonNull(typeName).replace('/', '.');
    }
}
