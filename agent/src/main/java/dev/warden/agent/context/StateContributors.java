package dev.warden.agent.context;

import dev.warden.rules.state.StatePolicy;

import java.util.List;

/**
 * The contributors of one state policy over one store, and what a replay of the receipt log makes of them: each past
 * action counted by every contributor and by the state other stages rebuild from the same replay, and what they hold
 * beside the store (a call's budget reservation awaiting its usage report, the approval stage's requests), which a
 * snapshot keeps with the store.
 */
public final class StateContributors {

    private final StatePolicy policy;
    private final List<StateContributor> all;
    private final Budgets budgets;
    private final ReplayedState beside;

    private StateContributors(StatePolicy policy, List<StateContributor> all, Budgets budgets, ReplayedState beside) {
        this.policy = policy;
        this.all = all;
        this.budgets = budgets;
        this.beside = beside;
    }

    /** What the stage holds before any policy decided: nothing to replay into. */
    static final StateContributors NONE = new StateContributors(StatePolicy.NONE, List.of(), null, ReplayedState.NONE);

    /** Every kind of state {@code policy} has, over {@code store}, and what other stages rebuild beside it. */
    static StateContributors of(StatePolicy policy, StateStore store, ReplayedState.Over beside) {
        ReplayedState other = beside.over(store, policy.zone());
        if (policy.isEmpty()) {
            // Session labels are remembered whatever the policy, for rules that read them.
            return new StateContributors(policy, List.of(new Chains(List.of(), store), new TokenUsage(store)), null, other);
        }
        Budgets budgets = new Budgets(policy, store);
        return new StateContributors(policy, List.of(
                new Limits(policy.limits(), store, policy.zone()),
                budgets,
                new Loops(policy.loops(), store, policy.zone()),
                new Chains(policy.chains(), store),
                new TokenUsage(store)), budgets, other);
    }

    StatePolicy policy() {
        return policy;
    }

    List<StateContributor> all() {
        return all;
    }

    /** The budgets, or null when the policy has none to settle. */
    Budgets budgets() {
        return budgets;
    }

    /** What other stages rebuild from the same replay. */
    ReplayedState beside() {
        return beside;
    }

    /** Counts an action the log recorded, as of {@code nowMillis}. */
    void replay(PastAction past, long nowMillis) {
        for (StateContributor contributor : all) {
            contributor.replay(past, nowMillis);
        }
        beside.replay(past, nowMillis);
    }

    /**
     * The calls the replay saw run whose usage it has not seen yet, in windows still open at {@code nowMillis}: what a
     * snapshot keeps beside the store.
     */
    List<PendingUsage> pending(long nowMillis) {
        return budgets == null ? List.of() : budgets.awaitingUsage(nowMillis);
    }

    /** Takes on what a snapshot kept beside the store, in place of what was pending. */
    void restorePending(List<PendingUsage> pending, long nowMillis) {
        if (budgets != null) {
            budgets.awaitUsage(pending, nowMillis);
        } else if (!pending.isEmpty()) {
            throw new IllegalArgumentException("calls awaiting usage, and no budget to settle them");
        }
    }

    /** Forgets what a replay made beside the store (the store is cleared on its own): the replay starts over. */
    void startOver(long nowMillis) {
        restorePending(List.of(), nowMillis);
        beside.clear();
    }
}
