package dev.warden.agent.install;

import dev.warden.instrumentation.api.SuperTypes;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Type descriptions per class loader, shared by every transformation in that loader and bounded (least recently
 * used out), so an application that loads tens of thousands of classes resolves each common super type once
 * instead of once per class, and the cache does not grow with the application. Loaders are held weakly: a
 * discarded loader (a redeployed web app, a test's class loader) takes its descriptions with it. A type's class
 * file does not change for its loader, so a kept description stays true; only resolved types are kept. The
 * descriptions reach their loader only weakly (weak class file locators), so they do not keep it alive.
 */
final class TypeCache {

    /** Enough for the super types a loader's classes share; a class's own description is rarely asked for twice. */
    static final int PER_LOADER = 2048;

    /** Hierarchies kept per loader: a name and a record each, for every class of a large application. */
    static final int HIERARCHIES = 16_384;

    private final int capacity;
    private final Map<ClassLoader, PerLoader> loaders = new WeakHashMap<>(); // null: the boot loader
    private final ThreadLocal<LastAsked> lastAsked = new ThreadLocal<>();

    /** A loader's descriptions, and what its types hold above them ({@link SuperTypes}). */
    private record PerLoader(Bounded descriptions, KeptHierarchies hierarchies) {
    }

    TypeCache(int capacity) {
        this.capacity = capacity;
    }

    synchronized TypePool.CacheProvider of(ClassLoader loader) {
        return perLoader(loader).descriptions();
    }

    /**
     * What {@code loader}'s types hold above them, as its matchers found it. Asked by each of a class's dozen matchers in
     * a row: the last loader each thread asked about is remembered (weakly), so that a class costs one look-up under
     * the lock, not one per matcher.
     */
    SuperTypes.Memo hierarchies(ClassLoader loader) {
        LastAsked last = lastAsked.get();
        if (last != null && last.isOf(loader)) {
            return last.hierarchies();
        }
        KeptHierarchies hierarchies;
        synchronized (this) {
            hierarchies = perLoader(loader).hierarchies();
        }
        lastAsked.set(new LastAsked(new java.lang.ref.WeakReference<>(loader), loader == null, hierarchies));
        return hierarchies;
    }

    /** A thread's last loader asked about (the boot loader is {@code null}), held weakly, and its hierarchies. */
    private record LastAsked(java.lang.ref.WeakReference<ClassLoader> loader, boolean boot, KeptHierarchies hierarchies) {
        boolean isOf(ClassLoader asked) {
            return asked == null ? boot : loader.get() == asked;
        }
    }

    private PerLoader perLoader(ClassLoader loader) {
        return loaders.computeIfAbsent(loader, any -> new PerLoader(new Bounded(capacity), new KeptHierarchies(HIERARCHIES)));
    }

    private static final class Bounded implements TypePool.CacheProvider {
        private final Map<String, TypePool.Resolution> resolutions;

        Bounded(int capacity) {
            this.resolutions = new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TypePool.Resolution> eldest) {
                    return size() > capacity;
                }
            };
            resolutions.put(Object.class.getName(), new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Object.class)));
        }

        @Override
        public synchronized TypePool.Resolution find(String name) {
            return resolutions.get(name);
        }

        @Override
        public synchronized TypePool.Resolution register(String name, TypePool.Resolution resolution) {
            TypePool.Resolution kept = resolutions.putIfAbsent(name, resolution);
            return kept == null ? resolution : kept;
        }

        @Override
        public synchronized void clear() {
            resolutions.clear();
        }
    }
}
