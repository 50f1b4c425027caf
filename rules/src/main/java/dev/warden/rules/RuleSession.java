package dev.warden.rules;

/**
 * Where an evaluator fires the rules: one evaluation's facts go in, every rule fires over them, and
 * nothing of that evaluation is left for the next. Used by one thread at a time.
 */
interface RuleSession {

    /**
     * Fires every rule over {@code facts}. Throws what a rule or the engine threw; the session may then
     * hold what that evaluation left and must be {@linkplain #discard() discarded}.
     */
    void fire(Object[] facts);

    /** Gives the session up; it is not used again. */
    void discard();
}
