package dev.warden.agent.context;

import dev.warden.bootstrap.Decision;
import dev.warden.rules.Action;
import dev.warden.rules.state.StatePolicy;

import java.util.List;
import java.util.Map;

/**
 * The context stage: what the agent did before, as state contributors keep it. Rules may read their
 * facts while they decide ({@link #view}); then the policy's state rules check the classified action,
 * reserving atomically what it would use ({@link #check}); once the receipt is written the
 * reservations are kept or given back. Knows no surface and no kind of state: each is a contributor.
 */
public final class ContextStage {

    private final StateStore store;
    private final History history;
    private final java.util.function.LongSupplier millis;
    private final ReplayedState.Over beside;
    private volatile StateContributors current = StateContributors.NONE;
    /** Whether the log has been replayed into the store; what went wrong if it could not be. */
    private volatile boolean replayed;
    private volatile RuntimeException replayFailure;

    /** A stage over a store that remembers for itself (shared), or a fresh one with nothing to replay. */
    public ContextStage(StateStore store) {
        this(store, History.NONE, System::currentTimeMillis);
    }

    /**
     * @param history what happened before this process, replayed into the store before the first
     *                decision that needs it (the receipt log, for the in-process store)
     */
    public ContextStage(StateStore store, History history, java.util.function.LongSupplier millis) {
        this(store, history, millis, ReplayedState.Over.NONE);
    }

    /** @param beside what other stages rebuild from the same replay (the approval stage's requests and tier counts) */
    public ContextStage(StateStore store, History history, java.util.function.LongSupplier millis, ReplayedState.Over beside) {
        this.store = store;
        this.history = history;
        this.millis = millis;
        this.beside = beside;
    }

    public StateStore store() {
        return store;
    }

    /** The state policy of the last decision, once the log has been replayed for it; null before. */
    public StatePolicy policyInUse() {
        StateContributors known = current;
        return replayed && known != StateContributors.NONE ? known.policy() : null;
    }

    /**
     * The contributors of {@code policy}: built once per policy, when it first decides. The first time,
     * the history is replayed into them while every other decision waits, so nothing counts twice.
     */
    private StateContributors contributors(StatePolicy policy) {
        StateContributors known = current;
        if (known.policy() == policy && replayed) {
            return known;
        }
        return build(policy);
    }

    private synchronized StateContributors build(StatePolicy policy) {
        StateContributors known = current;
        if (known.policy() == policy && replayed) {
            return known;
        }
        known = StateContributors.of(policy, store, beside);
        if (!replayed) {
            replay(known);
        }
        current = known;
        return known;
    }

    private void replay(StateContributors contributors) {
        try {
            history.replay(contributors, millis.getAsLong());
        } catch (RuntimeException failure) {
            // What the log says cannot be known: the actions that need it are refused, not guessed at.
            replayFailure = failure;
        } catch (Error failure) {
            // Not replayed again (the store holds part of the log): refused like any other failure.
            replayFailure = new IllegalStateException(failure.toString(), failure);
        }
        replayed = true;
    }

    /**
     * Why what the log says is not known: the replay failed, or has not run yet (no decision asked this stage first);
     * null once it was replayed. A stage whose state the replay rebuilds beside the store refuses what needs it then.
     */
    public RuntimeException replayFailure() {
        if (!replayed) {
            return NOT_REPLAYED;
        }
        return replayFailure;
    }

    private static final IllegalStateException NOT_REPLAYED =
            new IllegalStateException("the receipt log has not been replayed yet (the context stage was not asked first)");

    /**
     * Checks the action against the policy's state rules. Never throws: a store that cannot answer
     * refuses the action, naming the store.
     */
    public StateCheck check(StatePolicy policy, ContextAction action) {
        StateCheck check = new StateCheck();
        try {
            List<StateContributor> all = contributors(policy).all();
            RuntimeException unreplayed = replayFailure;
            if (unreplayed != null && !policy.isEmpty()) {
                check.deny(Decision.FAIL_CLOSED_RULE, "the state could not be rebuilt from the receipt log: " + message(unreplayed));
                return check;
            }
            for (int i = 0; i < all.size(); i++) { // indexed: no iterator per action
                all.get(i).check(action, check);
            }
        } catch (RuntimeException failure) {
            check.settle(false);
            StateCheck refused = new StateCheck();
            refused.deny(Decision.FAIL_CLOSED_RULE, "state store " + store.describe() + " could not answer: " + message(failure));
            return refused;
        }
        return check;
    }

    /** The names of the facts rules may read with {@code state("...")} under {@code policy}. */
    public java.util.Set<String> factNames(StatePolicy policy) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        contributors(policy).all().forEach(contributor -> names.addAll(contributor.factNames()));
        return names;
    }

    /**
     * States the past for a policy test: each fact stands at its value for {@code action}'s owner, as
     * earlier actions would have left it, in this stage's store.
     *
     * @return the names no contributor of {@code policy} keeps (nothing was assumed for them)
     * @throws IllegalArgumentException when a value is not one its fact can have
     */
    public List<String> assume(StatePolicy policy, ContextAction action, Map<String, Object> facts) {
        List<StateContributor> all = contributors(policy).all();
        List<String> unknown = new java.util.ArrayList<>();
        facts.forEach((name, value) -> {
            if (all.stream().noneMatch(contributor -> contributor.assume(name, value, action))) {
                unknown.add(name);
            }
        });
        return unknown;
    }

    /** What rules may read of the past while they decide {@code action} (read only). */
    public Action.StateView view(StatePolicy policy, ContextAction action) {
        List<StateContributor> all = contributors(policy).all();
        return name -> {
            for (StateContributor contributor : all) {
                Object fact = contributor.fact(name, action);
                if (fact != null) {
                    return fact;
                }
            }
            return null;
        };
    }

    /**
     * A permitted action reported what it used: budgets settle its reservation, counters add it, and
     * where they stand goes into {@code facts}, the report's receipt summary. Never throws.
     *
     * @return what the call spent of each budget (none when no budget counted it, or settling failed)
     */
    public List<BudgetSpend> observed(String actionId, String actor, String session, Map<String, Object> usage, Map<String, String> facts) {
        StateContributors known = current;
        List<BudgetSpend> spent = List.of();
        try {
            if (known.budgets() != null) {
                spent = known.budgets().settle(actionId, usage, facts);
            }
            for (StateContributor contributor : known.all()) {
                contributor.observed(actor, session, usage, facts);
            }
        } catch (RuntimeException failure) {
            facts.put("state.error", "state store " + store.describe() + " could not settle: " + message(failure));
        }
        return spent;
    }

    private static String message(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }
}
