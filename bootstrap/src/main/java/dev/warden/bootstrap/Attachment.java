package dev.warden.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * State attached to an object of the host's (a statement, a connection) without holding it alive:
 * a concurrent map keyed weakly by identity. Host classes cannot be given fields once loaded, and
 * their equals/hashCode are not ours to trust, hence identity and weak references.
 */
public final class Attachment<V> {

    /** {@link Key}s only; typed Object so that a {@link Probe} can look one up. */
    private final ConcurrentHashMap<Object, V> values = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    public V get(Object carrier) {
        return carrier == null ? null : values.get(new Probe(carrier));
    }

    public void set(Object carrier, V value) {
        if (carrier == null) {
            return;
        }
        expungeCollected();
        values.put(new Key(carrier, collected), value);
    }

    /**
     * Attaches {@code value} unless {@code carrier} has a value already: what advice captured first
     * (when the object was created, before the host held it) is never replaced.
     *
     * @return the value now attached
     */
    public V setIfAbsent(Object carrier, V value) {
        if (carrier == null) {
            return null;
        }
        expungeCollected();
        V previous = values.putIfAbsent(new Key(carrier, collected), value);
        return previous != null ? previous : value;
    }

    /** Detaches and returns the value of {@code carrier}, or null. */
    public V remove(Object carrier) {
        return carrier == null ? null : values.remove(new Probe(carrier));
    }

    /** Whether nothing is attached: a cheap test before a lookup. */
    public boolean isEmpty() {
        expungeCollected();
        return values.isEmpty();
    }

    public int size() {
        expungeCollected();
        return values.size();
    }

    private void expungeCollected() {
        for (Object key; (key = collected.poll()) != null; ) {
            values.remove(key);
        }
    }

    /**
     * What a look-up asks for: the carrier itself, not a reference to it. A plain object the JIT can keep off the
     * heap (a {@link Key} is a {@code WeakReference}, allocated and then discovered by the collector at every
     * look-up, on every statement's path). The map calls the probe's {@code equals} with its keys.
     */
    private static final class Probe {
        private final Object carrier;

        Probe(Object carrier) {
            this.carrier = carrier;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(carrier);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.get() == carrier;
        }
    }

    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Key)) {
                return false;
            }
            Object referent = get();
            return referent != null && referent == ((Key) other).get();
        }
    }
}
