package dev.warden.rules;

import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the rules said about one action, collected while they fire. Rules reach it as the global
 * {@code verdict}; the firing rule's name is attributed by the engine, so authors write only the
 * reason:
 *
 * <pre>
 * verdict.permit("customers are readable").maxRows(1000).redact("email", "ssn");
 * verdict.deny("stacked statements are an injection risk");
 * verdict.oblige("CRM results reach the model masked").maskPii();
 * </pre>
 *
 * A permit grants the action to whoever the rule matches, so a permit written to mask results also grants
 * them past the YAML roles' intersection; {@link #oblige} attaches obligations to whatever permit the action
 * gets without granting anything.
 */
public final class Verdict {

    private final List<Contribution> contributions = new ArrayList<>();
    private String firingRule = "unknown";

    /**
     * One rule's word on the action.
     *
     * @param outcome null for an obligation ({@link #oblige}): it binds a permit and decides nothing
     */
    public record Contribution(String rule, Outcome outcome, String reason, Obligations obligations) {

        /** Whether this is an obligation only, granting nothing. */
        public boolean obliges() {
            return outcome == null;
        }
    }

    /** Attaches conditions to a permit, or to an obligation; every method returns the same builder. */
    public final class Permit {
        private final int index;

        private Permit(int index) {
            this.index = index;
        }

        public Permit maxRows(long rows) {
            return with(new Obligations(rows, Set.of(), false));
        }

        public Permit redact(String... names) {
            Set<String> lowered = new TreeSet<>();
            for (String name : names) {
                lowered.add(name.toLowerCase(java.util.Locale.ROOT));
            }
            return with(new Obligations(-1, lowered, false));
        }

        public Permit maskPii() {
            return with(new Obligations(-1, Set.of(), true));
        }

        private Permit with(Obligations more) {
            Contribution current = contributions.get(index);
            contributions.set(index, new Contribution(current.rule(), current.outcome(), current.reason(),
                    current.obligations().and(more)));
            return this;
        }
    }

    public Permit permit(String reason) {
        contributions.add(new Contribution(firingRule, Outcome.PERMIT, reason, Obligations.NONE));
        return new Permit(contributions.size() - 1);
    }

    /**
     * Obligations for the action that grant nothing: when another rule (a YAML role's, a hand-written one)
     * permits the action they bind that permit, as a permit's own would; when none does the action is refused
     * as it would have been, and they are nothing. Write masking this way rather than as a permit, which would
     * also grant the action to every actor the rule matches.
     */
    public Permit oblige(String reason) {
        contributions.add(new Contribution(firingRule, null, reason, Obligations.NONE));
        return new Permit(contributions.size() - 1);
    }

    public void deny(String reason) {
        contributions.add(new Contribution(firingRule, Outcome.DENY, reason, Obligations.NONE));
    }

    public void hold(String reason) {
        contributions.add(new Contribution(firingRule, Outcome.HOLD, reason, Obligations.NONE));
    }

    public List<Contribution> contributions() {
        return List.copyOf(contributions);
    }

    void ruleFiring(String rule) {
        firingRule = rule;
    }

    void reset() {
        contributions.clear();
        firingRule = "unknown";
    }
}
