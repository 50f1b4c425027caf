package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Describes every type from the pool, lazily: its class file is read and parsed only when a matcher asks
 * for more than its name. At install ByteBuddy describes each of the thousands of classes loaded by then,
 * and nearly all of them are turned away by name (every JDK target is named), so reading each class file
 * to begin with was most of the install's time and allocation. ByteBuddy's {@code POOL_FIRST} reads it at
 * once, to decide whether to fall back to the loaded class; here that fallback is the pool's own
 * ({@link LoadedTypeFallbackPool}), taken only if the file is ever needed and not served. The class itself is
 * never described by reflection, which would load the types it mentions (see {@link AgentInstaller}).
 */
final class LazyDescriptions implements AgentBuilder.DescriptionStrategy {

    @Override
    public boolean isLoadedFirst() {
        return false;
    }

    @Override
    public TypeDescription apply(String name, Class<?> type, TypePool typePool, AgentBuilder.CircularityLock circularityLock,
                                 ClassLoader classLoader, JavaModule module) {
        TypePool.Resolution resolution = typePool.describe(name);
        if (type != null || !resolution.isResolved()) {
            return resolution.resolve();
        }
        // A class being defined: its bytes are at hand, and resolving it cached the pool's own description (a header
        // read, no parse), which answers the matchers that look into the class file (ClassFileNames) itself rather
        // than through a lazy wrapper.
        return typePool.describe(name).resolve();
    }
}
