package dev.warden.e2e.host;

import java.lang.instrument.Instrumentation;

/**
 * A main jar's own agent ({@code Launcher-Agent-Class}): the JDK runs {@link #agentmain} before {@link #main}, with an
 * {@code Instrumentation} of its own, beside any {@code -javaagent}. It only says that it ran, on standard output,
 * which no gate sees: what such an agent could do (redefine Warden's advice away) is the reason it must not start.
 */
public final class LauncherAgentHost {

    private LauncherAgentHost() {
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        System.out.println("launcher agent ran, redefinition " + (instrumentation.isRedefineClassesSupported() ? "supported" : "unsupported"));
    }

    public static void main(String[] args) {
        System.out.println("main ran");
    }
}
