package dev.warden.rules;

import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The combined word of all rules on one action: deny overrides hold, hold overrides permit, no permit
 * is silence; obligations of all permitting rules, and of all obliging ones ({@code verdict.oblige}) when
 * some rule permits, combine to the most restrictive. A hold keeps them too: they are what the action runs
 * under once approved, and apply to nothing while it is held ({@code Decision#enforcedObligations}).
 *
 * @param failed    whether this is not the rules' word but a failure to get it (a rule threw, no policy)
 * @param readState whether a rule read what the agent did before ({@link Action#state}): such a ruling
 *                  holds for this action only and is never reused
 * @param shadow    what the rules in shadow ({@code @shadow}, a YAML {@code shadow: true}) would have made
 *                  of the action, when one of them spoke; null otherwise. Never enforced.
 */
public record Ruling(Outcome outcome, List<String> rules, String reason, Obligations obligations, Set<String> labels,
                     int tier, boolean failed, boolean readState, Shadow shadow) {

    /**
     * The word of the rules in shadow: the outcome, rules and reason the action would have had, had the
     * shadow rules enforced too, and which shadow rules spoke.
     */
    public record Shadow(Outcome outcome, List<String> rules, String reason) {
        public Shadow {
            rules = List.copyOf(rules);
        }
    }

    public Ruling {
        rules = List.copyOf(rules);
        labels = Set.copyOf(labels);
    }

    /** A ruling no shadow rule spoke in. */
    public Ruling(Outcome outcome, List<String> rules, String reason, Obligations obligations, Set<String> labels,
                  int tier, boolean failed, boolean readState) {
        this(outcome, rules, reason, obligations, labels, tier, failed, readState, null);
    }

    /** This ruling with another reason (a SILENCE that says what was missing). */
    public Ruling withReason(String other) {
        return new Ruling(outcome, rules, other, obligations, labels, tier, failed, readState, shadow);
    }

    /**
     * This ruling, held besides to {@code more} (a budget's cap on a model call's output): the obligations combine to the
     * most restrictive. A failure or a denial has nothing to hold.
     */
    public Ruling boundBy(Obligations more) {
        if (failed || outcome == Outcome.DENY || more.equals(Obligations.NONE)) {
            return this;
        }
        return new Ruling(outcome, rules, reason, obligations.and(more), labels, tier, failed, readState, shadow);
    }

    /** A rule threw or the policy could not be evaluated: a denial naming what failed. */
    public static Ruling failure(String rule, String reason) {
        return new Ruling(Outcome.DENY, List.of(rule), reason, Obligations.NONE, Set.of(), -1, true, false);
    }

    /**
     * This ruling overridden by denials of the policy's state rules (a limit reached, a budget spent):
     * deny overrides hold and permit, and two denials name every rule. A failure stays what it is.
     */
    public Ruling deniedBy(List<String> stateRules, List<String> reasons) {
        if (stateRules.isEmpty() || failed) {
            return this;
        }
        List<String> allRules = new ArrayList<>();
        List<String> allReasons = new ArrayList<>();
        if (outcome == Outcome.DENY) {
            allRules.addAll(rules);
            allReasons.add(reason);
        }
        allRules.addAll(stateRules);
        allReasons.addAll(reasons);
        return new Ruling(Outcome.DENY, allRules, String.join("; ", allReasons), Obligations.NONE, labels, tier, false, true, shadow);
    }

    /**
     * The enforcing rules' word, combined without the contributions of {@code shadowRules}; when one of
     * those spoke, what all of them together would have said is kept as {@link #shadow}.
     */
    static Ruling combine(List<Verdict.Contribution> contributions, Action action, Set<String> shadowRules) {
        if (shadowRules.isEmpty() || contributions.stream().noneMatch(c -> shadowRules.contains(c.rule()))) {
            return combine(contributions, action);
        }
        Ruling enforced = combine(contributions.stream().filter(c -> !shadowRules.contains(c.rule())).toList(), action);
        Ruling wouldBe = combine(contributions, action);
        List<String> spoke = contributions.stream().map(Verdict.Contribution::rule).filter(shadowRules::contains).distinct().toList();
        return new Ruling(enforced.outcome, enforced.rules, enforced.reason, enforced.obligations, enforced.labels,
                enforced.tier, false, enforced.readState, new Shadow(wouldBe.outcome, spoke, wouldBe.reason));
    }

    static Ruling combine(List<Verdict.Contribution> contributions, Action action) {
        for (Outcome strongest : List.of(Outcome.DENY, Outcome.HOLD, Outcome.PERMIT)) {
            List<String> rules = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            for (Verdict.Contribution contribution : contributions) {
                if (contribution.outcome() == strongest) {
                    rules.add(contribution.rule());
                    reasons.add(contribution.reason());
                }
            }
            if (strongest == Outcome.PERMIT && !rules.isEmpty()) {
                // Obligations bind the permit someone else granted; alone they grant nothing.
                for (Verdict.Contribution contribution : contributions) {
                    if (contribution.obliges()) {
                        rules.add(contribution.rule());
                        reasons.add(contribution.reason());
                    }
                }
            }
            if (!rules.isEmpty()) {
                Obligations obligations = strongest == Outcome.DENY ? Obligations.NONE : permitObligations(contributions);
                Ruling unenforceable = unenforceable(obligations, action);
                if (unenforceable != null) {
                    return unenforceable;
                }
                return new Ruling(strongest, rules, String.join("; ", reasons), obligations, action.getLabels(),
                        action.getTier(), false, action.stateRead());
            }
        }
        String reason = "no rule permits " + action.getSurface() + " " + action.getOperation() + " on "
                + action.getTarget();
        return new Ruling(Outcome.SILENCE, List.of(), reason, Obligations.NONE, action.getLabels(), action.getTier(), false, action.stateRead());
    }

    /** A denial by Warden's own rule when the action cannot run under {@code obligations} as they say, else null. */
    private static Ruling unenforceable(Obligations obligations, Action action) {
        String rule = RedactionReach.RULE;
        String reason = RedactionReach.unreachable(obligations, action);
        if (reason == null) {
            rule = UnmaskedResults.RULE;
            reason = UnmaskedResults.unmasked(obligations, action);
        }
        return reason == null ? null : new Ruling(Outcome.DENY, List.of(rule), reason, Obligations.NONE, action.getLabels(),
                action.getTier(), false, action.stateRead());
    }

    /**
     * What a permit of the action runs under: every permitting and every obliging rule's obligations, combined. A held
     * action keeps them for its approval, which makes it a permit: without them an approved hold ran unmasked what the
     * same rules mask when they permit (a sixth review, 2026-12-07).
     */
    private static Obligations permitObligations(List<Verdict.Contribution> contributions) {
        Obligations obligations = Obligations.NONE;
        for (Verdict.Contribution contribution : contributions) {
            if (contribution.outcome() == Outcome.PERMIT || contribution.obliges()) {
                obligations = obligations.and(contribution.obligations());
            }
        }
        return obligations;
    }
}
