package dev.warden.bootstrap;

/** What a decision says about an action. */
public enum Outcome {
    /** A rule permitted the action and none denied it. */
    PERMIT,
    /** A rule denied the action (deny overrides permit), or Warden itself failed and closed. */
    DENY,
    /** No rule permitted the action: refused by default. */
    SILENCE,
    /** The action needs human approval before it may run. */
    HOLD
}
