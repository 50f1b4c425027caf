package dev.warden.agent.launcher;

import java.util.List;

/**
 * Opens, once the agent has started, the unpacked jars the start did not need ({@link AgentClassLoader#openRemaining()}),
 * on a thread of its own: off the host's way to {@code main}, and before a clean-up of the temporary directory can
 * remove a jar a later class would come from. A jar that cannot be opened is said once; a class from it would be
 * missing, and the action that needs it refused.
 */
final class JarOpener implements Runnable {

    /** The thread's name: a host's thread dump shows what it is. */
    static final String THREAD_NAME = "warden-jars";

    private final AgentClassLoader loader;

    private JarOpener(AgentClassLoader loader) {
        this.loader = loader;
    }

    static Thread start(AgentClassLoader loader) {
        Thread thread = new Thread(new JarOpener(loader), THREAD_NAME);
        thread.setDaemon(true); // never holds the host's exit
        thread.setContextClassLoader(null);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        List<String> unopened = loader.openRemaining();
        for (String jar : unopened) {
            System.err.println("warden: could not open " + jar + "; a class from it will be missing, and the action"
                    + " that needs it refused");
        }
    }
}
