package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The already-loaded classes worth considering for retransformation at install: not Warden's own (its loader
 * holds thousands of Drools, Chronicle and ByteBuddy classes by then), not hidden or unmodifiable ones. ByteBuddy
 * describes every class it is handed from its class file before any matcher runs, so what is left out here is
 * never read, parsed or matched; the ignore matcher still excludes the same classes from later loads.
 */
final class LoadedClassDiscovery implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {

    private final ClassLoader agentLoader;
    private final Set<String> ignoredBefore;

    LoadedClassDiscovery(ClassLoader agentLoader) {
        this(agentLoader, Set.of());
    }

    /**
     * @param ignoredBefore JDK classes an earlier install of the same JDK and build looked at and left alone
     *                      ({@link JdkTransforms#ignored()}): a JDK class's class file is the JDK's, so they are not
     *                      looked at again
     */
    LoadedClassDiscovery(ClassLoader agentLoader, Set<String> ignoredBefore) {
        this.agentLoader = agentLoader;
        this.ignoredBefore = ignoredBefore;
    }

    @Override
    public Iterable<Iterable<Class<?>>> resolve(Instrumentation instrumentation) {
        return List.of(candidates(instrumentation.getAllLoadedClasses(), instrumentation));
    }

    List<Class<?>> candidates(Class<?>[] loaded, Instrumentation instrumentation) {
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> type : loaded) {
            if (type.getClassLoader() != agentLoader && !type.isArray() && !type.isPrimitive() && !type.isHidden()
                    && !WardenTypes.isOwn(type.getName()) && instrumentation.isModifiableClass(type)
                    && !(ignoredBefore.contains(type.getName()) && CachedJdkTransformer.isJdk(type))) {
                candidates.add(type);
            }
        }
        return candidates;
    }
}
