package dev.warden.agent.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A recorded decision the candidate would decide differently.
 *
 * @param receipt the recorded receipt's id
 * @param before  the recorded outcome, rules and obligations
 * @param after   the candidate's
 */
public record ReplayChange(Kind kind, String receipt, Instant time, String surface, String operation, String target,
                           String actor, Decided before, Decided after) {

    /** What a decision was: outcome, the rules that decided, obligations as receipts record them. */
    public record Decided(String outcome, List<String> rules, String reason, Map<String, String> obligations) {
        public Decided {
            rules = List.copyOf(rules);
            obligations = Map.copyOf(obligations);
        }
    }

    /** How a decision changed, in the order a report lists them: what a reviewer must look at first. */
    public enum Kind {
        WIDENED("DENY/SILENCE/HOLD -> PERMIT (widening)"),
        NARROWED("PERMIT -> DENY/SILENCE/HOLD (narrowing)"),
        REFUSED_DIFFERENTLY("refused differently (DENY/SILENCE/HOLD)"),
        OBLIGATIONS("obligations changed"),
        RULES("rule changed, same outcome");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }

        /** The kind of change from {@code before} to {@code after}, or null when they decided alike. */
        static Kind of(Decided before, Decided after) {
            if (before.outcome().equals(after.outcome())) {
                if (!before.obligations().equals(after.obligations())) {
                    return OBLIGATIONS;
                }
                return new TreeSet<>(before.rules()).equals(new TreeSet<>(after.rules())) ? null : RULES;
            }
            if (after.outcome().equals("PERMIT")) {
                return WIDENED;
            }
            return before.outcome().equals("PERMIT") ? NARROWED : REFUSED_DIFFERENTLY;
        }
    }
}
