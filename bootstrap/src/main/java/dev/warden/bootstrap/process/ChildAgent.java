package dev.warden.bootstrap.process;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether child JVMs get Warden too (the operator's {@code child-agent} option), and with what. The
 * agent publishes this once at start, on or off, before the application's {@code main} runs; later
 * calls change nothing, so application code can neither turn it off nor point children at another
 * agent or receipts directory.
 * <p>
 * Each child gets its own receipts directory, {@code <receipts>.children/child-<parent pid>-<n>}: a
 * receipt log has exactly one writer.
 */
public final class ChildAgent {

    /** What the agent published: {@code jar == null} means off. */
    private record Settings(String jar, String arguments, String receiptsRoot) {
    }

    private static final Settings OFF = new Settings(null, null, null);
    private static final AtomicReference<Settings> SETTINGS = new AtomicReference<>();
    private static final AtomicLong CHILDREN = new AtomicLong();

    private ChildAgent() {
    }

    /**
     * Child JVMs get {@code -javaagent:<agentJar>=<arguments>,receipts=<receiptsRoot>/child-...}.
     *
     * @return false when settings were already published (nothing changed)
     */
    public static boolean publish(String agentJar, String arguments, String receiptsRoot) {
        return SETTINGS.compareAndSet(null, new Settings(agentJar, arguments, receiptsRoot));
    }

    /** Children run without Warden; seals the setting. */
    public static boolean publishOff() {
        return SETTINGS.compareAndSet(null, OFF);
    }

    static boolean enabled() {
        Settings settings = SETTINGS.get();
        return settings != null && settings.jar() != null;
    }

    /** The start of Warden's own {@code -javaagent:} option, to recognise it in an inherited value; null when off. */
    static String optionPrefix() {
        Settings settings = SETTINGS.get();
        return settings == null || settings.jar() == null ? null : "-javaagent:" + settings.jar() + "=";
    }

    /** The option for the next child JVM, with a receipts directory of its own; null when off. */
    static String nextOption() {
        Settings settings = SETTINGS.get();
        if (settings == null || settings.jar() == null) {
            return null;
        }
        String receipts = settings.receiptsRoot() + "/child-" + ProcessHandle.current().pid() + "-" + CHILDREN.incrementAndGet();
        return "-javaagent:" + settings.jar() + "=" + settings.arguments() + ",receipts=" + receipts;
    }
}
