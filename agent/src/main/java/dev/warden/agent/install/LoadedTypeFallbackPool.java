package dev.warden.agent.install;

import dev.warden.instrumentation.api.ClassFileNames;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.AsmClassReader;


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
 * <p>Types whose class files are found (every JDK type, every ordinary jar) never take this path.
 *
 * <p>Descriptions are kept per class loader across transformations ({@link TypeCache}), so a super type
 * every class shares ({@code Object}, a library's base class, {@code java.sql.Statement}) is read and parsed
 * once per loader, not once per class that is matched against it.
 */
final class LoadedTypeFallbackPool implements AgentBuilder.PoolStrategy {

    private final AgentBuilder.CircularityLock circularityLock;
    private final TypeCache caches;

    LoadedTypeFallbackPool(AgentBuilder.CircularityLock circularityLock) {
        this(circularityLock, new TypeCache(TypeCache.PER_LOADER));
    }

    LoadedTypeFallbackPool(AgentBuilder.CircularityLock circularityLock, TypeCache caches) {
        this.circularityLock = circularityLock;
        this.caches = caches;
    }

    @Override
    public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader) {
        return new Pool(classFileLocator, new FallbackCache(caches.of(classLoader), classLoader, circularityLock));
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

        Pool(ClassFileLocator classFileLocator, FallbackCache cache) {
            // EXTENDED: a type's name, super class, interfaces and kind come from its class file's header; the rest
            // of the file is parsed only if a matcher or a transformation asks for more, and matching a hierarchy
            // (every JDBC and LangChain4j matcher, for every class an application loads) never does.
            super(cache, classFileLocator, ReaderMode.FAST, LazinessMode.EXTENDED);
        }

        @Override
        protected TypeDescription doParse(AsmClassReader reader) {
            return new Outline(reader);
        }

        /** A super class read, {@code null} for none (an interface's, {@code Object}'s). */
        private record SuperClass(TypeDescription.Generic type) {
        }

        /**
         * ByteBuddy's header-first description, with its name and direct super types read once (every surface's
         * matchers ask for them, and each ask decoded them anew) and its constant pool searchable
         * ({@link ClassFileNames}). Two threads asking at once decode a value twice, nothing worse.
         */
        private final class Outline extends ExtendedLazyTypeDescription implements ClassFileNames {
            private final ClassReader classFile;
            private String name; // a String is safe to publish without a fence
            // Volatile: descriptions are shared between the threads that load classes, and a super type seen
            // half-built would leave a class's hierarchy unmatched.
            private volatile SuperClass superClass;
            private volatile TypeList.Generic interfaces;

            Outline(AsmClassReader reader) {
                super(reader);
                this.classFile = reader.unwrap(ClassReader.class);
            }

            @Override
            public String getName() {
                String known = name;
                if (known == null) {
                    known = super.getName();
                    name = known;
                }
                return known;
            }

            @Override
            public TypeDescription.Generic getSuperClass() {
                SuperClass known = superClass;
                if (known == null) {
                    known = new SuperClass(super.getSuperClass());
                    superClass = known;
                }
                return known.type();
            }

            @Override
            public TypeList.Generic getInterfaces() {
                TypeList.Generic known = interfaces;
                if (known == null) {
                    known = super.getInterfaces();
                    interfaces = known;
                }
                return known;
            }

            @Override
            public boolean mayMention(String text) {
                return classFile == null || ConstantPool.holdsUtf8(classFile, text);
            }
        }
    }

    private static final class FallbackCache implements TypePool.CacheProvider {
        private final TypePool.CacheProvider cache;
        // Weakly: the shared cache's descriptions reach this pool, and must not keep a discarded loader alive.
        private final java.lang.ref.WeakReference<ClassLoader> classLoader;
        private final boolean boot;
        private final AgentBuilder.CircularityLock circularityLock;

        FallbackCache(TypePool.CacheProvider cache, ClassLoader classLoader, AgentBuilder.CircularityLock circularityLock) {
            this.cache = cache;
            this.classLoader = new java.lang.ref.WeakReference<>(classLoader);
            this.boot = classLoader == null;
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
                // Neither is kept: a class its loader defines later must be found then, and a loaded class
                // would keep its loader alive.
                return type == null ? resolution : new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(type));
            }
            return cache.register(name, resolution);
        }

        @Override
        public void clear() {
            // The cache outlives this pool: other transformations of the loader share it.
        }

        private Class<?> loadUnlocked(String name) {
            // Outside a transformation (discovering loaded classes at install) the lock is not ours to move.
            boolean unlock = RefusingTransformer.transformationUnderWay();
            if (unlock) {
                circularityLock.release();
            }
            try {
                ClassLoader loader = classLoader.get();
                // A collected loader has nothing left to link.
                return loader == null && !boot ? null : Class.forName(name, false, loader);
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
