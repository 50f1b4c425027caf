package dev.warden.agent.logging;

import dev.warden.agent.config.WardenConfig.LogLevel;

/**
 * Warden's few lines on the host's stderr, each prefixed {@code warden:}. Deliberately tiny: the
 * agent must not pull a logging framework into the host, nor print secrets.
 */
public final class WardenLog {

    private static volatile LogLevel level = LogLevel.INFO;
    /** The JVM's stderr as it was when the agent started, once {@link #settle} was called; else whatever it is now. */
    private static volatile java.io.PrintStream kept;
    private static final java.util.concurrent.atomic.AtomicBoolean SETTLED = new java.util.concurrent.atomic.AtomicBoolean();

    private WardenLog() {
    }

    /**
     * Writes from now on at {@code configured} to stderr as it is now, before the host's {@code main}: a stream the host
     * sets later is the host's code, and Warden logs on its own threads and inside decisions, whose actions pass
     * ungated. Once: this class is public in a loader host code can reach, and a later call changes nothing.
     *
     * @return false when it was settled before
     */
    public static boolean settle(LogLevel configured) {
        if (!SETTLED.compareAndSet(false, true)) {
            return false;
        }
        kept = System.err;
        level = configured;
        return true;
    }

    private static java.io.PrintStream err() {
        java.io.PrintStream stream = kept;
        return stream != null ? stream : System.err;
    }

    public static void info(String message) {
        if (level == LogLevel.INFO) {
            err().println("warden: " + message);
        }
    }

    public static void warn(String message) {
        if (level != LogLevel.OFF) {
            err().println("warden: WARNING: " + message);
        }
    }

    /** Printed unless {@code log=off}: something an operator must act on, though no action is refused. */
    public static void alert(String message) {
        if (level != LogLevel.OFF) {
            err().println("warden: ALERT: " + message);
        }
    }

    /** Always printed: evidence that the receipts were tampered with (a witness refused the log's history). */
    public static void alarm(String message) {
        err().println("warden: ALARM: " + message);
    }

    /** Always printed: the agent is refusing to start. */
    public static void fatal(String message) {
        err().println("warden: " + message);
    }
}
