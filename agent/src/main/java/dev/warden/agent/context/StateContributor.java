package dev.warden.agent.context;

import java.util.Map;

/**
 * One kind of state the context stage keeps (limits, budgets, loops, chains): it checks an action
 * against what came before, reserving atomically what the action would use, and settles once the
 * action's fate is known. A new kind of state is one new class.
 */
public interface StateContributor {

    /**
     * Checks the action; adds denials, facts and settlements to {@code check}.
     *
     * @throws StateStoreException when the store cannot answer
     */
    void check(ContextAction action, StateCheck check);

    /**
     * A fact rules may read before the check ({@code Action.state}), or null when it is not this
     * contributor's. Read only: nothing is reserved.
     */
    default Object fact(String name, ContextAction action) {
        return null;
    }

    /** The names {@link #fact} answers: what the rule linter accepts in {@code state("...")}. */
    default java.util.Set<String> factNames() {
        return java.util.Set.of();
    }

    /**
     * Makes the fact {@code name} stand at {@code value} for {@code action}'s owner, as earlier actions
     * would have: how a policy test states the past ({@code budget.daily.spent: 48.5}). False when the
     * fact is not this contributor's.
     *
     * @throws IllegalArgumentException when the value is not one the fact can have
     */
    default boolean assume(String name, Object value, ContextAction action) {
        return false;
    }

    /**
     * Counts an action the receipt log recorded before this process started (in-process state only:
     * a shared store remembers for itself). Whatever no longer counts at {@code nowMillis} is skipped.
     */
    default void replay(PastAction past, long nowMillis) {
    }

    /**
     * A permitted action reported what it used (a model call's tokens): settle what was reserved for it
     * and add where the state stands now to {@code facts}, the summary of the report's receipt.
     */
    default void observed(String actor, String session, Map<String, Object> usage, Map<String, String> facts) {
    }
}
