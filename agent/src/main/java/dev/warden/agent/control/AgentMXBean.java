package dev.warden.agent.control;

/**
 * {@code dev.warden:type=Agent}: the operator's view of the agent and its switches. The operations
 * with an {@code operator} argument are what {@code java -jar warden-agent.jar control PID ...} calls;
 * a surface of {@code all} (or empty) means the whole agent. Those that loosen (shadow, revive, reload,
 * rollback) take a {@code proof} under the control key over a nonce from {@link #challenge} ({@link SwitchProof}):
 * without one they are refused with a {@link SecurityException} and the refusal is recorded. Those that tighten
 * (kill, enforce) take none.
 */
public interface AgentMXBean {
    String getMode();

    /** From a JMX console: {@code enforce}, recorded with an unknown operator; {@code shadow} is refused (no key). */
    void setMode(String mode);

    /** The reason every surface is refused, or "". */
    String getKilled();

    /** The surfaces refused one by one, as {@code surface: reason}. */
    String[] getKilledSurfaces();

    String[] getSurfaces();

    String getPolicyVersion();

    long getDecisions();

    long getPermits();

    long getDenials();

    long getSilences();

    long getHolds();

    /** Decisions recorded but not applied (shadow). */
    long getNotEnforced();

    /** -1 before the first checkpoint. */
    long getLastCheckpointSize();

    String getLastCheckpointTime();

    long getSiemWritten();

    long getSiemDropped();

    /**
     * A fresh nonce to sign a loosening switch over (used once, for two minutes), and the agent's proof over
     * {@code callerNonce} and it that it holds the control key: {@code nonce answer}, the answer {@code -} when
     * loosening is closed in this JVM.
     */
    String challenge(String callerNonce);

    /**
     * {@link #status()} with the agent's word for it: {@code mac}, a line break, then the status, where {@code mac} is an
     * HMAC under the control key over {@code callerNonce} and the status ({@link SwitchProof#attestation}; {@code -} when
     * the JVM holds no key). A client that reads the switches this way knows they are this agent's as they are now,
     * whatever stands between them (code of the application's that relays the calls and keeps a switch back).
     */
    String attest(String callerNonce);

    /** @param proof needed for {@code shadow}, not for {@code enforce} */
    void mode(String mode, String surface, String operator, String proof);

    void kill(String surface, String reason, String operator);

    void revive(String surface, String operator, String proof);

    /**
     * Reads the rules directory again and switches to it if it compiles and lints (as {@code reload --receipts}).
     *
     * @return {@code switched A -> B (...)}, {@code unchanged: ...} or {@code rejected ...} (the running version stays)
     */
    String reload(String operator, String proof);

    /**
     * Switches to an archived version that decided before ({@code version}: a unique prefix is enough).
     *
     * @return as {@link #reload}; an unknown or ambiguous version is an IllegalArgumentException
     */
    String rollback(String version, String operator, String proof);

    /** The status as lines of text, for the operator CLI. */
    String status();
}
