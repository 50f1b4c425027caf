package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;


/**
 * Describes types from their class files, as ByteBuddy does by default, and falls back to the class
 * itself when its loader does not serve its bytes: a loader that defines classes from memory (some
 * application servers, Groovy, bytecode generators) answers {@code getResource} of a {@code .class}
 * with {@code null}, and a target whose super type or signature mentions such a class could not be
 * matched or transformed at all.
 *
 * <p>The fallback loads the type through the same loader, exactly as the JVM is about to when it
 * links the class being defined (its super types) or later (its signatures), with the circularity lock
 * released: a type loaded this way is itself transformed, not skipped. A type the fallback cannot load
 * either stays unresolved, and the JVM could not link a class that needs it.
 *
 * <p>Types whose class files are found (every JDK type, every ordinary jar) never take this path, so
 * matching costs what it did.
 */
final class LoadedTypeFallbackPool implements AgentBuilder.PoolStrategy {

    private final AgentBuilder.CircularityLock circularityLock;

    LoadedTypeFallbackPool(AgentBuilder.CircularityLock circularityLock) {
        this.circularityLock = circularityLock;
    }

    @Override
    public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader) {
        return new Pool(classFileLocator, classLoader, circularityLock);
    }

    @Override
    public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader, String name) {
        return typePool(classFileLocator, classLoader);
    }

    /**
     * The pool's cache is where every resolution of a class file ends up, found or not: an
     * unresolved one is replaced by the loaded class before it is cached.
     */
    private static final class Pool extends TypePool.Default.WithLazyResolution {

        Pool(ClassFileLocator classFileLocator, ClassLoader classLoader, AgentBuilder.CircularityLock circularityLock) {
            super(new FallbackCache(classLoader, circularityLock), classFileLocator, ReaderMode.FAST);
        }
    }

    private static final class FallbackCache implements TypePool.CacheProvider {
        private final TypePool.CacheProvider cache = TypePool.CacheProvider.Simple.withObjectType();
        private final ClassLoader classLoader;
        private final AgentBuilder.CircularityLock circularityLock;

        FallbackCache(ClassLoader classLoader, AgentBuilder.CircularityLock circularityLock) {
            this.classLoader = classLoader;
            this.circularityLock = circularityLock;
        }

        @Override
        public TypePool.Resolution find(String name) {
            return cache.find(name);
        }

        @Override
        public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
            if (!resolution.isResolved()) {
                Class<?> type = loadUnlocked(name);
                if (type != null) {
                    resolution = new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(type));
                }
            }
            return cache.register(name, resolution);
        }

        @Override
        public void clear() {
            cache.clear();
        }

        private Class<?> loadUnlocked(String name) {
            // Outside a transformation (discovering loaded classes at install) the lock is not ours to move.
            boolean unlock = RefusingTransformer.transformationUnderWay();
            if (unlock) {
                circularityLock.release();
            }
            try {
                return Class.forName(name, false, classLoader);
            } catch (ClassNotFoundException | LinkageError notLoadable) {
                return null;
            } finally {
                if (unlock) {
                    circularityLock.acquire();
                }
            }
        }
    }
}
