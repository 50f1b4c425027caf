package dev.warden.agent;

import dev.warden.agent.logging.WardenLog;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Runs Warden's closing at exit after everything the host does there: its shutdown hooks (a file flushed, a JFR
 * recording dumped, a last request), which the JVM runs all at once, and then the deletions of
 * {@link java.io.File#deleteOnExit}. Those are decided and recorded as anything else the host does; only then is the
 * receipt log closed.
 *
 * <p>The JVM's exit runs a short, ordered list of system hooks ({@code java.lang.Shutdown}): the console's, then the
 * application's shutdown hooks, joined, then {@code deleteOnExit}'s. Warden's closing takes the last free place in it
 * (the package is opened to Warden's loader alone, {@link dev.warden.agent.install.ModuleOpener}), and runs on a thread
 * of Warden's, whose writes are never gated. Where no place can be taken (another JDK), it is an ordinary shutdown
 * hook, running beside the host's, as before: what they do after the log closed is refused.
 */
final class AfterHostHooks {

    /** {@code java.lang.Shutdown}'s places 0 to 2 are the JDK's (console, application hooks, deleteOnExit). */
    private static final int FIRST_FREE = 3;
    private static final int PLACES = 10;

    private AfterHostHooks() {
    }

    /**
     * @param closing run once at exit, on a thread {@code threads} makes (Warden's own say what it throws)
     * @return whether {@code closing} runs after the host's hooks (else beside them)
     */
    static boolean register(Runnable closing, ThreadFactory threads) {
        // Made now, not at exit on the exiting host thread: a thread of Warden's from its start (its name, its loader).
        Thread thread = threads.newThread(closing);
        try {
            Method add = Class.forName("java.lang.Shutdown").getDeclaredMethod("add", int.class, boolean.class, Runnable.class);
            add.setAccessible(true);
            for (int place = PLACES - 1; place >= FIRST_FREE; place--) {
                try {
                    add.invoke(null, place, false, (Runnable) () -> startAndJoin(thread));
                    return true;
                } catch (InvocationTargetException taken) {
                    if (!(taken.getCause() instanceof InternalError)) { // InternalError: the place is taken
                        throw taken;
                    }
                }
            }
            WardenLog.warn("no place is free in the JVM's exit sequence: " + beside());
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            WardenLog.warn("cannot order Warden's closing in the JVM's exit (" + unavailable + "): " + beside());
        }
        Runtime.getRuntime().addShutdownHook(thread);
        return false;
    }

    private static String beside() {
        return "the receipt log closes beside the host's shutdown hooks, and what they do after it closed is refused";
    }

    /**
     * The exit sequence runs on the exiting host thread; Warden's closing writes its own files, which only Warden's
     * threads may do ungated. The JVM waits for it, as for a hook.
     */
    private static void startAndJoin(Thread thread) {
        try {
            thread.start();
        } catch (Throwable noThread) { // no native thread left: the log is left as after a crash, its receipts written
            WardenLog.warn("could not start closing the receipt log at exit (" + noThread + "): the next start signs"
                    + " its last receipts");
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
