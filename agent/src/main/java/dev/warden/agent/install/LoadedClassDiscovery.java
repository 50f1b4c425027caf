package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The already-loaded classes worth considering for retransformation at install: not Warden's own (its loader
 * holds thousands of Drools, Chronicle and ByteBuddy classes by then), not hidden or unmodifiable ones. ByteBuddy
 * describes every class it is handed from its class file before any matcher runs, so what is left out here is
 * never read, parsed or matched; the ignore matcher still excludes the same classes from later loads.
 */
final class LoadedClassDiscovery implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {

    private final ClassLoader agentLoader;
    private final Set<String> ignoredBefore;
    private final Supplier<Set<String>> replayedBefore;

    LoadedClassDiscovery(ClassLoader agentLoader) {
        this(agentLoader, Set.of());
    }

    LoadedClassDiscovery(ClassLoader agentLoader, Set<String> ignoredBefore) {
        this(agentLoader, ignoredBefore, Set::of);
    }

    /**
     * @param ignoredBefore  JDK classes an earlier install of the same JDK and build looked at and left alone
     *                       ({@link JdkTransforms#ignored()}): a JDK class's class file is the JDK's, so they are not
     *                       looked at again
     * @param replayedBefore JDK classes given, before ByteBuddy was installed, what an earlier install made of their very
     *                       class files ({@link HoldingTransformer#settledReplays()}), asked when the loaded classes are
     *                       listed: they carry their advice already, and retransforming them again (after the host's
     *                       {@code main} began) redefined them to the same bytes, deoptimising the compiled code that
     *                       inlined them and throwing away every compilation under way at that moment
     */
    LoadedClassDiscovery(ClassLoader agentLoader, Set<String> ignoredBefore, Supplier<Set<String>> replayedBefore) {
        this.agentLoader = agentLoader;
        this.ignoredBefore = ignoredBefore;
        this.replayedBefore = replayedBefore;
    }

    @Override
    public Iterable<Iterable<Class<?>>> resolve(Instrumentation instrumentation) {
        return List.of(candidates(instrumentation.getAllLoadedClasses(), instrumentation));
    }

    List<Class<?>> candidates(Class<?>[] loaded, Instrumentation instrumentation) {
        Set<String> replayed = replayedBefore.get();
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> type : loaded) {
            if (type.getClassLoader() != agentLoader && !type.isArray() && !type.isPrimitive() && !type.isHidden()
                    && !WardenTypes.isOwn(type.getName(), type.getClassLoader(), agentLoader) && instrumentation.isModifiableClass(type)
                    && !((ignoredBefore.contains(type.getName()) || replayed.contains(type.getName()))
                    && CachedJdkTransformer.isJdk(type))) {
                candidates.add(type);
            }
        }
        return candidates;
    }
}
