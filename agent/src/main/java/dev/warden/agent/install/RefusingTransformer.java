package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps ByteBuddy's transformer so that a target Warden could not instrument does not run ungated:
 * when one of a surface's type matchers matched the class being defined and its transformation then
 * failed, the class is defined as an {@link UnusableClass} instead, and one warning names the type,
 * the surface and the refusal. A class already loaded (retransformed at install) cannot be replaced;
 * the JDK targets among those are checked at start by {@link JdkTargetCheck}.
 */
final class RefusingTransformer extends DecoratingTransformer {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    /** Failures the listener reported for matched types, waiting for this wrapper to act on them. */
    private final Map<String, String> refusals = new ConcurrentHashMap<>();

    private RefusingTransformer(ResettableClassFileTransformer delegate) {
        super(delegate);
    }

    static AgentBuilder.TransformerDecorator decorator(RefusingTransformer[] installed) {
        return delegate -> installed[0] = new RefusingTransformer(delegate);
    }

    /** Whether a transformation is under way on this thread. */
    static boolean transformationUnderWay() {
        return DEPTH.get()[0] > 0;
    }

    /** Called by the listener: the type, matched by a surface, failed to transform. */
    void refuse(String typeName, ClassLoader loader, String why) {
        refusals.put(key(typeName, loader), why);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFileBuffer) throws IllegalClassFormatException {
        int[] depth = DEPTH.get();
        depth[0]++;
        byte[] transformed;
        try {
            transformed = delegate(module, loader, className, classBeingRedefined, protectionDomain, classFileBuffer);
        } catch (Throwable failed) {
            // ByteBuddy reported it to the listener already; what counts is whether it was a target.
            transformed = null;
        } finally {
            depth[0]--;
        }
        if (className == null) {
            return transformed;
        }
        List<String> surfaces = MatchedTypes.forget(className, loader);
        String why = surfaces.isEmpty() ? null : refusals.remove(key(className, loader));
        if (why == null) {
            return transformed;
        }
        if (classBeingRedefined != null) {
            // Already defined and running: it cannot be replaced. Nothing more to do than the warning.
            return null;
        }
        try {
            return UnusableClass.replacing(classFileBuffer, why);
        } catch (Throwable unreadable) {
            // Not even the header parses: the JVM will refuse to define it as well.
            return null;
        }
    }

    private static String key(String typeName, ClassLoader loader) {
        return typeName.replace('/', '.') + '@' + System.identityHashCode(loader);
    }
}
