package dev.warden.agent.logging;

import dev.warden.agent.config.WardenConfig.LogLevel;

/**
 * Warden's few lines on the host's stderr, each prefixed {@code warden:}. Deliberately tiny: the
 * agent must not pull a logging framework into the host, nor print secrets.
 */
public final class WardenLog {

    private static volatile LogLevel level = LogLevel.INFO;

    private WardenLog() {
    }

    public static void setLevel(LogLevel newLevel) {
        level = newLevel;
    }

    public static void info(String message) {
        if (level == LogLevel.INFO) {
            System.err.println("warden: " + message);
        }
    }

    public static void warn(String message) {
        if (level != LogLevel.OFF) {
            System.err.println("warden: WARNING: " + message);
        }
    }

    /** Printed unless {@code log=off}: something an operator must act on, though no action is refused. */
    public static void alert(String message) {
        if (level != LogLevel.OFF) {
            System.err.println("warden: ALERT: " + message);
        }
    }

    /** Always printed: evidence that the receipts were tampered with (a witness refused the log's history). */
    public static void alarm(String message) {
        System.err.println("warden: ALARM: " + message);
    }

    /** Always printed: the agent is refusing to start. */
    public static void fatal(String message) {
        System.err.println("warden: " + message);
    }
}
