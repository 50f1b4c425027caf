package dev.warden.agent.engine;

import dev.warden.instrumentation.api.ActionDescription;

/**
 * Something of Warden's that no host action touches, whatever the policy says and in every mode: checked before
 * the rules, refused under its own rule, with its receipt ({@link OwnFiles}, {@link OwnStateStore}).
 */
public interface WardensOwn {

    /** The rule a refusal is recorded under, enforced in shadow mode too. */
    String rule();

    /** Why {@code action} on {@code surface} is refused, or null when it touches nothing of Warden's. */
    String refusal(String surface, ActionDescription action);
}
