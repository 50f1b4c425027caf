package dev.warden.agent.control;

/**
 * {@code dev.warden:type=Surface,name=<surface>}: one gated surface's counts and the switches that tighten it. An
 * attribute carries no control key, so {@code Mode} set to {@code shadow} is refused: loosening goes through the
 * agent's operations ({@code control PID mode shadow --surface S}).
 */
public interface SurfaceMXBean {
    String getMode();

    /** {@code enforce}; {@code shadow} is refused (no key) and recorded. */
    void setMode(String mode);

    /** Why this surface is refused (its own kill switch or the agent's), or "". */
    String getKilled();

    void kill(String reason);

    long getDecisions();

    long getPermits();

    long getDenials();

    long getSilences();

    long getHolds();

    long getNotEnforced();
}
