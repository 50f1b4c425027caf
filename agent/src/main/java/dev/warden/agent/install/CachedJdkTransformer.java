package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Outermost around ByteBuddy's transformer, for JDK classes being retransformed: one whose class file is the very one
 * an earlier install transformed gets that install's result without ByteBuddy; any other is transformed as always, and
 * what ByteBuddy made of it is recorded while the install runs, so the next start can replay it. A JDK class here is
 * one of the boot or platform loader in a module of the boot layer (not a proxy's dynamic module): its class file is
 * the JDK's, or what the launch options the cache entry is keyed by made of it.
 */
final class CachedJdkTransformer extends DecoratingTransformer {

    /** Loaded here, not first inside a transformation callback, where loading a class may be refused as circular. */
    private static final Class<?> RECORDED_AS = JdkTransforms.Transformed.class;

    private final JdkTransforms known;
    private final Set<String> transformed;
    private final Map<String, JdkTransforms.Transformed> learned = new ConcurrentHashMap<>();
    private final Set<String> ignored = ConcurrentHashMap.newKeySet();
    private final AtomicInteger replayed = new AtomicInteger();
    private volatile boolean installing = true;

    private CachedJdkTransformer(ResettableClassFileTransformer delegate, JdkTransforms known, Set<String> transformed) {
        super(delegate);
        this.known = known;
        this.transformed = transformed;
    }

    /**
     * Decorates ByteBuddy's transformer; {@code installed[0]} is the decorated one.
     *
     * @param transformed receives the name of each JDK class replayed (ByteBuddy's listener is not called for them)
     */
    static AgentBuilder.TransformerDecorator decorator(CachedJdkTransformer[] installed, JdkTransforms known,
                                                       Set<String> transformed) {
        return delegate -> installed[0] = new CachedJdkTransformer(delegate, known, transformed);
    }

    static boolean isJdk(Class<?> type) {
        return isJdk(type.getClassLoader(), type.getModule());
    }

    static boolean isJdk(ClassLoader loader, Module module) {
        return (loader == null || loader == ClassLoader.getPlatformClassLoader()) && module != null && module.isNamed()
                && module.getLayer() == ModuleLayer.boot();
    }

    /** Called by the listener while installing: a loaded JDK class looked at and left alone. */
    void ignored(String name) {
        if (installing) {
            ignored.add(name);
        }
    }

    /** Loaded JDK classes given what an earlier install made of them. */
    int replayed() {
        return replayed.get();
    }

    /** Loaded JDK classes ByteBuddy transformed during the install. */
    int transformedAnew() {
        return learned.size();
    }

    /**
     * The install is over: {@code known} with what it learned, or {@code null} when it learned nothing new (a class
     * transformed exactly as known, a class left alone that was known to be).
     */
    JdkTransforms installed() {
        installing = false;
        boolean news = false;
        for (Map.Entry<String, JdkTransforms.Transformed> each : learned.entrySet()) {
            news |= !known.holds(each.getKey(), each.getValue());
        }
        for (String name : ignored) {
            news |= !known.ignored().contains(name);
        }
        JdkTransforms installed = news ? known.with(learned, ignored) : null;
        learned.clear(); // hundreds of kilobytes, not kept for the JVM's life
        ignored.clear();
        return installed;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFileBuffer) throws IllegalClassFormatException {
        boolean jdk = classBeingRedefined != null && isJdk(classBeingRedefined);
        if (jdk) {
            byte[] replay = replay(classBeingRedefined.getName(), loader, className, classFileBuffer);
            if (replay != null) {
                return replay;
            }
        }
        byte[] result = delegate(module, loader, className, classBeingRedefined, protectionDomain, classFileBuffer);
        if (jdk && installing && result != null) {
            learn(classBeingRedefined.getName(), classFileBuffer, result);
        }
        return result;
    }

    /** What an earlier install made of this class file, or {@code null}: ByteBuddy then transforms it, whatever failed here. */
    private byte[] replay(String name, ClassLoader loader, String className, byte[] classFile) {
        try {
            byte[] replay = known.replacing(name, classFile);
            if (replay != null) {
                MatchedTypes.forget(className, loader); // matched when the install considered it
                transformed.add(name);
                replayed.incrementAndGet();
            }
            return replay;
        } catch (Throwable unexpected) {
            return null;
        }
    }

    private void learn(String name, byte[] classFile, byte[] result) {
        try {
            learned.put(name, new JdkTransforms.Transformed(JdkTransforms.digest(classFile), result));
        } catch (Throwable unexpected) {
            // not kept: the next start transforms it again
        }
    }
}
