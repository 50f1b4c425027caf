package dev.warden.agent.config;

/** Whether decisions are applied or only recorded. */
public enum Mode {
    /** Refusals are applied: the action does not run. */
    ENFORCE,
    /** Decisions are computed and recorded with {@code enforced=false}; the host behaves as without Warden. */
    SHADOW
}
