package dev.warden.agent.launcher;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The only Warden classes on the host's class path (the agent jar's root). Everything else Warden
 * uses (Drools, Chronicle, ByteBuddy, Bouncy Castle...) sits in nested jars loaded by a private
 * {@link AgentClassLoader}, so the host's own copies of those libraries are never touched; only the
 * tiny JDK-only bootstrap classes go to the boot loader, where instrumented code can see them.
 */
public final class WardenLauncher {

    /** EX_CONFIG: the agent refused to start, so the host does not run unguarded. */
    static final int REFUSED_TO_START = 78;

    private WardenLauncher() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(null, arguments, instrumentation, null, System.nanoTime());
    }

    /**
     * Started by the OpenTelemetry Java agent as its extension ({@link OpenTelemetryExtension}): configured by
     * {@code -Dwarden.*} properties (there are no agent arguments), telling {@code agentTelemetry} its decisions.
     */
    static void startAsExtension(Path agentJar, Instrumentation instrumentation, Object agentTelemetry, long startedNanos) {
        start(agentJar, null, instrumentation, agentTelemetry, startedNanos);
    }

    private static void start(Path agentJar, String arguments, Instrumentation instrumentation, Object agentTelemetry,
                              long startedNanos) {
        try {
            UnpackRoot root = UnpackRoot.choose();
            NestedJars jars = agentJar == null ? NestedJars.unpack(root) : NestedJars.unpack(agentJar, root.directory());
            AgentClassLoader agentLoader = new AgentClassLoader(jars.libraries(), jars.index());
            invoke(agentLoader, "dev.warden.agent.install.BootstrapInjector", "inject",
                    new Class<?>[] {Instrumentation.class, Path.class}, instrumentation, jars.bootstrap());
            Supplier<List<String>> openJars = new JarOpener(agentLoader);
            if (agentTelemetry == null) {
                invoke(agentLoader, "dev.warden.agent.WardenAgent", "start",
                        new Class<?>[] {String.class, Instrumentation.class, long.class, Path.class, Path.class, List.class,
                                Supplier.class},
                        arguments, instrumentation, startedNanos, jars.agentJar(), jars.root(), root.warnings(), openJars);
            } else {
                invoke(agentLoader, "dev.warden.agent.WardenAgent", "startAsExtension",
                        new Class<?>[] {Instrumentation.class, long.class, Object.class, Path.class, Path.class, List.class,
                                Supplier.class},
                        instrumentation, startedNanos, agentTelemetry, jars.agentJar(), jars.root(), root.warnings(), openJars);
            }
        } catch (Throwable failure) {
            // An exception escaping premain kills the JVM with a stack trace; this says why, once.
            System.err.println("warden: the agent could not start, so the application will not run unguarded: "
                    + rootCause(failure));
            System.exit(REFUSED_TO_START);
        }
    }

    /** {@code java -jar warden-agent.jar <command>}: the operator CLI. */
    public static void main(String[] arguments) throws Throwable {
        NestedJars jars;
        try {
            UnpackRoot root = UnpackRoot.choose();
            root.printWarnings(); // the commands have no logger of Warden's to hand them to
            jars = NestedJars.unpack(root);
        } catch (IOException unusable) {
            System.err.println("warden: cannot unpack the agent's jars: " + unusable.getMessage());
            System.exit(REFUSED_TO_START);
            return;
        }
        Path[] classPath = new Path[jars.libraries().length + 1];
        System.arraycopy(jars.libraries(), 0, classPath, 0, jars.libraries().length);
        classPath[classPath.length - 1] = jars.bootstrap();
        Object status = invoke(new AgentClassLoader(classPath, jars.index()), "dev.warden.agent.cli.WardenCli", "run",
                new Class<?>[] {String[].class}, (Object) arguments);
        System.exit((Integer) status);
    }

    private static Object invoke(ClassLoader loader, String className, String method, Class<?>[] types,
                                 Object... arguments) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return Class.forName(className, true, loader).getMethod(method, types).invoke(null, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == failure ? String.valueOf(failure) : failure + " (caused by " + cause + ")";
    }
}
