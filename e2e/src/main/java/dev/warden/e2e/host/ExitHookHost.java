package dev.warden.e2e.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An application that writes a file from its shutdown hook, as applications flush state at exit, and knows nothing of
 * Warden. Its hook runs last of the JVM's shutdown hooks, whichever order the JVM starts them in: it waits for every
 * other hook registered (read from the JDK's registry, which needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}),
 * an agent's among them, then writes.
 *
 * <pre>
 *   java ExitHookHost PATH [TEMPORARY]
 *   TEMPORARY: a file main creates and marks {@link java.io.File#deleteOnExit}, which the JVM deletes after every hook
 *   out: MAIN DONE, then from the hook: EXIT-HOOK OK | EXIT-HOOK REFUSED thrown=T message=M
 * </pre>
 */
public final class ExitHookHost {

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        if (args.length > 1) {
            Files.createFile(Path.of(args[1])).toFile().deleteOnExit();
        }
        Map<Thread, Thread> hooks = registeredHooks();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            joinTheOthers(hooks);
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

    /** The JDK's map of the hooks registered: it forgets the map as the hooks start, so it is taken now. */
    @SuppressWarnings("unchecked")
    private static Map<Thread, Thread> registeredHooks() throws ReflectiveOperationException {
        Field field = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
        field.setAccessible(true);
        return (Map<Thread, Thread>) field.get(null);
    }

    private static void joinTheOthers(Map<Thread, Thread> hooks) {
        List<Thread> others;
        synchronized (hooks) {
            others = new ArrayList<>(hooks.keySet());
        }
        for (Thread other : others) {
            if (other == Thread.currentThread()) {
                continue;
            }
            try {
                while (other.getState() == Thread.State.NEW) { // the JDK starts its hooks one by one
                    Thread.onSpinWait();
                }
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
