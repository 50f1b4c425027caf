package dev.warden.e2e.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An application that writes a file from its shutdown hook, as applications flush state at exit. It knows nothing of
 * Warden but what a thread dump shows: its hook first lets the agent's threads finish what they do at exit (before
 * Warden closed its receipt log after the host's hooks, its own hook closed it at once, beside them), so the write is
 * the last thing the JVM does.
 *
 * <pre>
 *   java ExitHookHost PATH [TEMPORARY]
 *   TEMPORARY: a file main creates and marks {@link java.io.File#deleteOnExit}, which the JVM deletes after every hook
 *   out: MAIN DONE, then from the hook: EXIT-HOOK OK | EXIT-HOOK REFUSED thrown=T message=M
 * </pre>
 */
public final class ExitHookHost {

    private static final long LET_OTHERS_RUN_NANOS = TimeUnit.SECONDS.toNanos(20);

    public static void main(String[] args) throws java.io.IOException {
        Path path = Path.of(args[0]);
        if (args.length > 1) {
            Files.createFile(Path.of(args[1])).toFile().deleteOnExit();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agentHooksDone();
            try {
                Files.writeString(path, "written at exit\n", StandardCharsets.UTF_8);
                System.out.println("EXIT-HOOK OK");
            } catch (Throwable thrown) {
                System.out.println("EXIT-HOOK REFUSED thrown=" + thrown.getClass().getName() + " message=" + thrown.getMessage());
            }
            System.out.flush();
        }, "host-exit-hook"));
        System.out.println("MAIN DONE");
    }

    /**
     * Until no thread of the agent runs a hook of its own (a thread dump is all the host can see of the agent): the
     * JVM starts every application hook at once, so this one lets such a hook finish first, whatever it does.
     */
    private static void agentHooksDone() {
        long deadline = System.nanoTime() + LET_OTHERS_RUN_NANOS;
        while (System.nanoTime() - deadline < 0 && agentHookRunning()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static boolean agentHookRunning() {
        for (Map.Entry<Thread, StackTraceElement[]> each : Thread.getAllStackTraces().entrySet()) {
            if (each.getKey().getName().startsWith("warden-") && Arrays.stream(each.getValue()).anyMatch(frame ->
                    frame.getClassName().equals("dev.warden.agent.WardenAgent") && frame.getMethodName().startsWith("lambda$"))) {
                return true;
            }
        }
        return false;
    }
}
