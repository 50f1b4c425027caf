package dev.warden.agent.launcher;

/**
 * Opens the unpacked jars the start did not need ({@link AgentClassLoader#openRemaining()}): run once the agent has
 * started, on a thread of Warden's (whose reads are never gated), off the host's way to {@code main} and before a
 * clean-up of the temporary directory can remove a jar a later class would come from. A jar that cannot be opened
 * is said once; a class from it would be missing, and the action that needs it refused.
 */
final class JarOpener implements Runnable {

    private final AgentClassLoader loader;

    JarOpener(AgentClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public void run() {
        for (String jar : loader.openRemaining()) {
            System.err.println("warden: could not open " + jar + "; a class from it will be missing, and the action"
                    + " that needs it refused");
        }
    }
}
