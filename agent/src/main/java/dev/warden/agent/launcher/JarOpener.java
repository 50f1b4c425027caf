package dev.warden.agent.launcher;

import java.util.List;
import java.util.function.Supplier;

/**
 * Opens the unpacked jars the start did not need ({@link AgentClassLoader#openRemaining()}): asked once the agent has
 * started, on a thread of Warden's (whose reads are never gated), off the host's way to {@code main}, in its turn
 * after ByteBuddy's install, and before a clean-up of the temporary directory can remove a jar a later class would
 * come from (until then a jar is opened when a class is first needed from it). A JDK type, so Warden's own
 * loader can call it; it answers the jars it could not open, which the agent logs.
 */
final class JarOpener implements Supplier<List<String>> {

    private final AgentClassLoader loader;

    JarOpener(AgentClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public List<String> get() {
        return loader.openRemaining();
    }
}
