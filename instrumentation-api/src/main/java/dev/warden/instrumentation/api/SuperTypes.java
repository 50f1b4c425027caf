package dev.warden.instrumentation.api;

import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * "Is a {@code java.sql.Statement}", "is a LangChain4j {@code ChatModel}": a type's whole hierarchy (super classes
 * and every interface, erased) is collected once per class being matched and shared by every surface's matcher,
 * instead of each matcher walking the hierarchy again ({@code isSubTypeOf}, {@code hasSuperType}). Every class the
 * JVM loads is matched, about a dozen matchers each.
 */
public final class SuperTypes {

    /** The last type whose hierarchy this thread collected: the matchers of one class run one after another. */
    private static final ThreadLocal<Collected> LAST = new ThreadLocal<>();

    private record Collected(TypeDescription type, Set<String> names) {
    }

    private SuperTypes() {
    }

    /** Matches a type that is, extends or implements the type named {@code name} (anywhere in its hierarchy). */
    public static ElementMatcher.Junction<TypeDescription> hasSuperTypeNamed(String name) {
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription target) {
                return target != null && namesOf(target).contains(name);
            }

            @Override
            public String toString() {
                return "hasSuperTypeNamed(" + name + ")";
            }
        };
    }

    /** The erased names of {@code type} and of every type above it. */
    static Set<String> namesOf(TypeDescription type) {
        Collected last = LAST.get();
        if (last != null && last.type() == type) {
            return last.names();
        }
        Set<String> names = new HashSet<>();
        Deque<TypeDefinition> pending = new ArrayDeque<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            TypeDescription each = pending.poll().asErasure();
            if (!names.add(each.getName())) {
                continue;
            }
            TypeDefinition superClass = each.getSuperClass();
            if (superClass != null) {
                pending.add(superClass);
            }
            pending.addAll(each.getInterfaces());
        }
        LAST.set(new Collected(type, names));
        return names;
    }
}
