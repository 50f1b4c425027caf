package dev.warden.instrumentation.api;

import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "Is a {@code java.sql.Statement}", "is a LangChain4j {@code ChatModel}", "is a {@code Thread}": which of the names
 * these matchers ask about are in a type's whole hierarchy (super classes and every interface, erased). Every class
 * the JVM loads is matched, against about a dozen of them.
 *
 * <p>Each name asked about gets a bit, and what a type's hierarchy holds is found once per type and class loader: a
 * type's bits are its own name's and those of its direct super types, which the installer keeps per loader
 * ({@link Memo}, {@link #matchingIn}), since a name resolves to one type in one loader. A class being defined then
 * costs its own header and a look-up per direct super type, not a walk of its hierarchy. Without a memo (a matcher
 * asked outside the installer) the hierarchy is walked once per type being matched, each type in it once.
 */
public final class SuperTypes {

    /** Bits a {@code long} holds; names asked about beyond them are matched by walking the hierarchy's names. */
    private static final int BITS = Long.SIZE;

    /** The names asked about, each with its bit; only ever added to. */
    private static final Map<String, Integer> ASKED = new ConcurrentHashMap<>();
    /** How many names have a bit: a memo made when fewer had one is stale. */
    private static volatile int named;

    /** The memo of the loader whose class this thread is matching, if any. */
    private static final ThreadLocal<Memo> MEMO = new ThreadLocal<>();

    /** The last type whose bits (or names) this thread found: the matchers of one class run one after another. */
    private static final ThreadLocal<Found> LAST = new ThreadLocal<>();

    private record Found(TypeDescription type, int named, long bits, Set<String> names) {
    }

    /**
     * What one class loader's types hold above them, by type name: kept by the installer per loader. What was kept
     * when fewer names had bits is stale, and found again.
     */
    public interface Memo {
        /** What was kept for the type named {@code typeName}, or {@code null}. */
        Kept find(String typeName);

        void keep(String typeName, Kept kept);
    }

    /** The bits of a type's hierarchy, found when {@code named} names had bits. */
    public record Kept(long bits, int named) {
    }

    private SuperTypes() {
    }

    /** Matches a type that is, extends or implements the type named {@code name} (anywhere in its hierarchy). */
    public static ElementMatcher.Junction<TypeDescription> hasSuperTypeNamed(String name) {
        int bit = bitOf(name);
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription target) {
                if (target == null) {
                    return false;
                }
                return bit < BITS ? (bitsOf(target) & 1L << bit) != 0 : namesOf(target).contains(name);
            }

            @Override
            public String toString() {
                return "hasSuperTypeNamed(" + name + ")";
            }
        };
    }

    /**
     * Runs {@code matching} (one class's matchers, which may load another class of another loader meanwhile) with
     * {@code memo}, the memo of the loader whose class is being matched.
     */
    public static <T> T matchingIn(Memo memo, java.util.function.Supplier<T> matching) {
        Memo previous = MEMO.get();
        MEMO.set(memo);
        try {
            return matching.get();
        } finally {
            MEMO.set(previous);
        }
    }

    private static synchronized int bitOf(String name) {
        Integer known = ASKED.get(name);
        if (known != null) {
            return known;
        }
        int bit = ASKED.size();
        ASKED.put(name, bit);
        if (bit < BITS) {
            named = bit + 1; // after the name is in the map: a memo made with this count finds its bit
        }
        return bit;
    }

    private static long ownBit(String typeName) {
        Integer bit = ASKED.get(typeName);
        return bit == null || bit >= BITS ? 0 : 1L << bit;
    }

    /** The bits of the names asked about that {@code type}'s hierarchy holds. */
    static long bitsOf(TypeDescription type) {
        int known = named;
        Found last = LAST.get();
        if (last != null && last.type() == type && last.names() == null && last.named() == known) {
            return last.bits();
        }
        long bits = walk(type, new Lookup(MEMO.get(), known));
        LAST.set(new Found(type, known, bits, null));
        return bits;
    }

    /**
     * Where the walk finds and keeps what it found: a map of this walk's own, always (each type of the hierarchy
     * walked once, whatever the loader's memo forgets meanwhile), and the loader's memo, if any, for what it shares.
     */
    private static final class Lookup {
        private final Memo shared;
        private final Map<String, Long> own = new HashMap<>();
        private final int named;

        Lookup(Memo shared, int named) {
            this.shared = shared;
            this.named = named;
        }

        /** The bits found for the type named {@code name} with every name that has a bit now, or {@code null}. */
        Long bits(String name, boolean mayShare) {
            Long found = own.get(name);
            if (found != null || !mayShare || shared == null) {
                return found;
            }
            Kept kept = shared.find(name);
            return kept != null && kept.named() == named ? kept.bits() : null;
        }

        void keep(String name, long bits, boolean share) {
            own.put(name, bits);
            if (share && shared != null) {
                shared.keep(name, new Kept(bits, named));
            }
        }
    }

    /**
     * The bits of {@code root}'s hierarchy: each type's are its own name's and its direct super types', found depth
     * first without recursion (a hierarchy may be deep), each type once. What the loader's memo shares is only what
     * its class files say. A class described as loaded (a loader that serves no class file) has super types its own
     * loader resolved, which may be other types of the same names; and a walk that meets a name again on its own path
     * (a hierarchy that is a cycle as the class files tell it) leaves the types on that path without what lies above
     * the repeated one. From the moment a walk meets either, it shares nothing more (what it found before stands: those
     * types' walks were done), and within the walk a name is one type, as ByteBuddy's own matcher has it. The root's
     * bits are the union of every type met.
     */
    private static long walk(TypeDescription root, Lookup lookup) {
        // The root is walked from its own description, never taken from what was kept under its name: a class being
        // defined is what its bytes say, whatever its loader's class file said when a subclass was matched first.
        Deque<Frame> path = new ArrayDeque<>();
        Set<String> onPath = new HashSet<>();
        path.push(new Frame(root));
        onPath.add(root.getName());
        boolean sharing = true;
        while (true) {
            Frame top = path.peek();
            TypeDescription next = top.nextSuperType();
            if (next == null) {
                path.pop();
                onPath.remove(top.name);
                lookup.keep(top.name, top.bits, sharing);
                if (path.isEmpty()) {
                    return top.bits;
                }
                path.peek().bits |= top.bits;
                continue;
            }
            if (top.type instanceof TypeDescription.ForLoadedType) {
                sharing = false; // a super type its own loader resolved
            }
            String name = next.getName();
            Long bits = lookup.bits(name, sharing);
            if (bits != null) {
                top.bits |= bits;
            } else if (onPath.add(name)) {
                path.push(new Frame(next));
            } else {
                sharing = false; // its own bits reach the root through its frame on the path
            }
        }
    }

    /** A type on the walk's path: its bits so far, and which of its direct super types are left. */
    private static final class Frame {
        private final TypeDescription type;
        private final String name;
        private long bits;
        private boolean superClassDone;
        private Iterator<TypeDescription.Generic> interfaces;

        Frame(TypeDescription type) {
            this.type = type;
            this.name = type.getName();
            this.bits = ownBit(name);
        }

        /** The next direct super type, erased, or {@code null} when none is left. */
        TypeDescription nextSuperType() {
            if (!superClassDone) {
                superClassDone = true;
                TypeDescription.Generic superClass = type.getSuperClass();
                if (superClass != null) {
                    return superClass.asErasure();
                }
            }
            if (interfaces == null) {
                interfaces = type.getInterfaces().iterator();
            }
            return interfaces.hasNext() ? interfaces.next().asErasure() : null;
        }
    }

    /** The erased names of {@code type} and of every type above it: for names asked about beyond the bits. */
    static Set<String> namesOf(TypeDescription type) {
        Found last = LAST.get();
        if (last != null && last.type() == type && last.names() != null) {
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
        LAST.set(new Found(type, named, 0, names));
        return names;
    }

}
