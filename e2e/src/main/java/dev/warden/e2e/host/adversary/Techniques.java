package dev.warden.e2e.host.adversary;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs each technique on a thread of its own, so that whatever it does to its thread (marks it as
 * Warden's, leaves a call-depth frame behind) cannot help or hinder the next technique, and prints
 * one line per technique, which the tests read but never trust:
 * <pre>
 *   technique NAME: RAN ...            the forbidden action returned normally
 *   technique NAME: DENIED warden: ... a refusal by the gate (the message names its receipt)
 *   technique NAME: FAILED ...         anything else (the action may or may not have happened)
 * </pre>
 * A technique that tries several steps reports each ({@code switch=... action=...}). The side
 * channels, not these lines, say whether anything got through.
 */
public final class Techniques {

    /** One technique's attempt; returns what happened. */
    @FunctionalInterface
    public interface Attempt {
        String run() throws Throwable;
    }

    /** Well under the test's 120 s for a whole host, even when several techniques hang. */
    private static final long TIMEOUT_MILLIS = 20_000;

    private Techniques() {
    }

    public static void run(String name, Attempt attempt) {
        AtomicReference<String> outcome = new AtomicReference<>("HUNG (still running after " + TIMEOUT_MILLIS + " ms)");
        long started = System.nanoTime();
        Thread thread = new Thread(() -> outcome.set(attempt(attempt)), "technique-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("technique " + name + ": " + outcome.get().replaceAll("\\s+", " ")
                + " [" + (System.nanoTime() - started) / 1_000_000 + " ms]");
    }

    /** Runs one step of a technique and says how it ended, never throwing. */
    public static String attempt(Attempt attempt) {
        try {
            return attempt.run();
        } catch (Throwable failure) {
            return describe(failure);
        }
    }

    /** {@code DENIED message} when the gate refused (anywhere in the cause chain), else {@code FAILED ...}. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            boolean deniedSql = t instanceof SQLException && "42501".equals(((SQLException) t).getSQLState());
            if (deniedSql || (t.getMessage() != null && t.getMessage().startsWith("warden: "))
                    || t.getClass().getSimpleName().equals("ActionDeniedException")) {
                return "DENIED " + t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        Throwable cause = failure.getCause();
        return "FAILED " + failure + (cause != null && cause != failure ? " caused by " + cause : "");
    }

    /** A result text a tool returned: a refusal when Warden wrote it. */
    public static String toolResult(String text) {
        return text != null && text.startsWith("warden: ") ? "DENIED " + text : "RAN result=" + text;
    }

    /** Tells the test the host is done; async clients and pools keep non-daemon threads. */
    public static void done() {
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }
}
