package dev.warden.verifier.cli;

import dev.warden.receipts.Receipt;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The filters of {@code query}: a receipt matches when it matches every filter given, and a filter
 * given several values matches any of them. An empty list is no filter.
 */
record ReceiptQuery(List<String> actors, List<String> sessions, List<String> onBehalfOf, List<String> surfaces,
                    List<String> outcomes, List<String> rules, Instant from, Instant to) implements Predicate<Receipt> {

    /** The outcomes a receipt can record (docs/RECEIPTS.md). */
    static final List<String> OUTCOMES = List.of("PERMIT", "DENY", "SILENCE", "HOLD");

    /** What {@code --refused} stands for: a rule refused, or no rule permitted. */
    static final List<String> REFUSALS = List.of("DENY", "SILENCE");

    ReceiptQuery {
        actors = List.copyOf(actors);
        sessions = List.copyOf(sessions);
        onBehalfOf = List.copyOf(onBehalfOf);
        surfaces = List.copyOf(surfaces);
        outcomes = List.copyOf(Set.copyOf(outcomes));
        rules = List.copyOf(rules);
    }

    /** An outcome as written on the command line, upper-cased. */
    static String outcome(String given) {
        String outcome = given.trim().toUpperCase(Locale.ROOT);
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("unknown outcome '" + given + "' (expected one of " + String.join(", ", OUTCOMES)
                    + "; --refused is DENY and SILENCE)");
        }
        return outcome;
    }

    @Override
    public boolean test(Receipt r) {
        return any(actors, r.actor()) && any(sessions, r.session()) && any(onBehalfOf, r.onBehalfOf())
                && any(surfaces, r.surface()) && any(outcomes, r.outcome())
                && (rules.isEmpty() || rules.stream().anyMatch(r.rules()::contains))
                && (from == null || !r.time().isBefore(from))
                && (to == null || r.time().isBefore(to));
    }

    private static boolean any(Collection<String> wanted, String value) {
        return wanted.isEmpty() || wanted.contains(value);
    }
}
