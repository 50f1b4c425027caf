package dev.warden.agent.context;

import dev.warden.rules.state.Chain;
import dev.warden.rules.state.Per;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code chains:} and session labels. Once a session ran an action carrying a label (attached by
 * classification rules, on any surface), the label is the session's; an action a chain denies after
 * one of its labels is refused for the rest of the session. Labels are remembered only for actions
 * that ran: a refused PII read taints nothing.
 */
final class Chains implements StateContributor {

    static final String SESSION_LABELS = "session.labels";

    private final List<Chain> chains;
    private final StateStore store;

    Chains(List<Chain> chains, StateStore store) {
        this.chains = List.copyOf(chains);
        this.store = store;
    }

    @Override
    public void check(ContextAction action, StateCheck check) {
        if (chains.isEmpty() && action.labels().isEmpty()) {
            return; // nothing to refuse, nothing to remember: most actions under most policies
        }
        String session = action.owner(Per.SESSION);
        Set<String> held = null;
        java.util.List<java.util.List<String>> names = chains.isEmpty() ? null : action.names();
        for (Chain chain : chains) {
            if (!chain.deny().matchesAny(names, action.labels())) {
                continue;
            }
            if (held == null) {
                held = store.labels(session);
            }
            Set<String> matched = new LinkedHashSet<>(chain.afterLabels());
            boolean unkept = held.contains(StateStore.TOO_MANY_LABELS);
            if (!unkept) {
                matched.retainAll(held); // else a label it follows may be one the store could not keep: all count
            }
            if (!matched.isEmpty()) {
                String earlier = unkept
                        ? " earlier ran actions with more labels than Warden keeps a session (" + StateStore.MAX_LABELS
                                + "), so it is taken to carry " + String.join(", ", matched)
                        : " earlier ran an action labelled " + String.join(", ", matched);
                check.deny("chain:" + chain.name(), "chain " + chain.name() + ": " + action.ownerText(Per.SESSION)
                        + earlier + "; " + chain.deny() + " is refused for the rest of it");
                check.fact("session", "labels", String.join(",", held));
            }
        }
        if (!action.labels().isEmpty()) {
            // A label a chain follows is held before the action runs (after the chains above read the session's, so an
            // action never refuses itself): written only once it ran, a store that failed then (Redis down or slower
            // than its timeout) lost it, with a warning, and the action the chain would refuse next ran.
            String holder = followed(action.labels()) ? action.id() : null;
            if (holder != null) {
                store.holdLabels(session, action.labels(), holder);
            }
            check.onSettle(proceeded -> store.settleLabels(session, action.labels(), holder, proceeded));
        }
    }

    /** Whether a chain refuses anything after one of these labels. */
    private boolean followed(Set<String> labels) {
        for (Chain chain : chains) {
            for (String label : chain.afterLabels()) {
                if (labels.contains(label)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void replay(PastAction past, long nowMillis) {
        if (past.proceeded() && !past.observation() && !past.action().labels().isEmpty()) {
            store.addLabels(past.action().owner(Per.SESSION), past.action().labels());
        }
    }

    @Override
    public java.util.Set<String> factNames() {
        return java.util.Set.of(SESSION_LABELS);
    }

    @Override
    public boolean assume(String name, Object value, ContextAction action) {
        if (!name.equals(SESSION_LABELS)) {
            return false;
        }
        store.addLabels(action.owner(Per.SESSION), Assumed.names(name, value));
        return true;
    }

    @Override
    public Object fact(String name, ContextAction action) {
        return name.equals(SESSION_LABELS) ? store.labels(action.owner(Per.SESSION)) : null;
    }
}
