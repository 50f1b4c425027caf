package dev.warden.agent.control;

/** {@code dev.warden:type=Surface,name=<surface>}: one gated surface's switches and counts. */
public interface SurfaceMXBean {
    String getMode();

    void setMode(String mode);

    /** Why this surface is refused (its own kill switch or the agent's), or "". */
    String getKilled();

    void kill(String reason);

    void revive();

    long getDecisions();

    long getPermits();

    long getDenials();

    long getSilences();

    long getHolds();

    long getNotEnforced();
}
