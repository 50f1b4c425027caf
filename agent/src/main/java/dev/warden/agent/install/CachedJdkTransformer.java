package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Outermost around ByteBuddy's transformer, for JDK classes being retransformed: one whose class file is the very one
 * an earlier install transformed gets that install's result without ByteBuddy; any other is transformed as always, and
 * what ByteBuddy made of it is recorded while the install runs, so the next start can replay it. A JDK class here is
 * one of the boot or platform loader in a named module: its class file is the JDK's, whatever loaded it.
 */
final class CachedJdkTransformer extends ResettableClassFileTransformer.WithDelegation {

    private final JdkTransforms known;
    private final Set<String> transformed;
    private final Map<String, JdkTransforms.Transformed> learned = new ConcurrentHashMap<>();
    private final Set<String> ignored = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger replayed = new java.util.concurrent.atomic.AtomicInteger();
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
        ClassLoader loader = type.getClassLoader();
        return (loader == null || loader == ClassLoader.getPlatformClassLoader()) && type.getModule().isNamed();
    }

    static boolean isJdkLoader(ClassLoader loader) {
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /** Called by the listener while installing: a loaded JDK class looked at and left alone. */
    void ignored(String name) {
        if (installing) {
            ignored.add(name);
        }
    }

    /** How many JDK classes were given what an earlier install made of them. */
    int replayed() {
        return replayed.get();
    }

    /** The install is over: what it learned that {@code known} did not hold, or {@code null} when nothing. */
    JdkTransforms installed() {
        installing = false;
        learned.keySet().removeAll(known.transformed().keySet());
        ignored.removeAll(known.ignored());
        if (learned.isEmpty() && ignored.isEmpty()) {
            return null;
        }
        Map<String, JdkTransforms.Transformed> all = new java.util.HashMap<>(known.transformed());
        all.putAll(learned);
        Set<String> left = new java.util.HashSet<>(known.ignored());
        left.addAll(ignored);
        left.removeAll(all.keySet());
        return new JdkTransforms(all, left);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFileBuffer) throws IllegalClassFormatException {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classFileBuffer);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFileBuffer) throws IllegalClassFormatException {
        boolean jdk = classBeingRedefined != null && isJdk(classBeingRedefined);
        if (jdk) {
            JdkTransforms.Transformed before = known.transformed().get(classBeingRedefined.getName());
            byte[] replayed = before == null ? null : before.replacing(classFileBuffer);
            if (replayed != null) {
                MatchedTypes.forget(className, loader); // matched when the install considered it
                transformed.add(classBeingRedefined.getName());
                this.replayed.incrementAndGet();
                return replayed;
            }
        }
        byte[] result = module == null
                ? classFileTransformer.transform(loader, className, classBeingRedefined, protectionDomain, classFileBuffer)
                : classFileTransformer.transform(module, loader, className, classBeingRedefined, protectionDomain, classFileBuffer);
        if (jdk && installing && result != null) {
            learned.put(classBeingRedefined.getName(), new JdkTransforms.Transformed(JdkTransforms.digest(classFileBuffer), result));
        }
        return result;
    }
}
