package dev.warden.instrumentation.jdbc.sql;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounded, thread-safe map from a statement shape to what parsing it gave.
 *
 * <p>Two generations: entries go into {@code young}; when it is full, it becomes {@code old} and the
 * previous {@code old} is dropped whole. A hit in {@code old} promotes the entry, so shapes in use
 * survive and one-off shapes (an agent generating ever-new SQL) age out — LRU-like, with O(1) work
 * and no per-entry bookkeeping. Reads take no lock: they are the hot path (a few µs budget). Writes
 * happen only after a miss, which has just cost a 100+ µs parse, so a lock there is free and keeps
 * the bound exact: at most {@code maxEntries} shapes and {@link #MAX_CHARS_PER_GENERATION} × 2
 * characters of keys (a few very long shapes must not pin megabytes each).
 */
final class ShapeCache<V> {

    static final long MAX_CHARS_PER_GENERATION = 2L << 20; // 2 Mi chars ≈ 4 MiB of keys per generation

    private final int generationSize;
    private final boolean keepOld; // false when the bound is 1: no room for a second generation
    private volatile ConcurrentHashMap<String, V> young;
    private volatile ConcurrentHashMap<String, V> old;
    private long youngChars; // guarded by this

    /** @param maxEntries at most this many shapes are held; 0 or less disables caching */
    ShapeCache(int maxEntries) {
        this.generationSize = maxEntries <= 0 ? 0 : Math.max(1, maxEntries / 2);
        this.keepOld = maxEntries >= 2;
        this.young = new ConcurrentHashMap<>();
        this.old = new ConcurrentHashMap<>();
    }

    V get(String shape) {
        V value = young.get(shape);
        if (value == null) {
            value = old.get(shape);
            if (value != null) {
                put(shape, value); // still in use: keep it through the next rotation
            }
        }
        return value;
    }

    synchronized void put(String shape, V value) {
        if (generationSize == 0 || young.containsKey(shape)) {
            return;
        }
        if (young.size() >= generationSize || youngChars + shape.length() > MAX_CHARS_PER_GENERATION) {
            old = keepOld ? young : new ConcurrentHashMap<>();
            young = new ConcurrentHashMap<>();
            youngChars = 0;
        }
        young.put(shape, value);
        youngChars += shape.length();
        old.remove(shape); // a promoted entry is not held twice
    }

    /** Shapes currently held (an entry being promoted may for an instant be counted twice). */
    int size() {
        return young.size() + old.size();
    }
}
