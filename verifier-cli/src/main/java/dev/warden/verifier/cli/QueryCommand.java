package dev.warden.verifier.cli;

import dev.warden.receipts.Receipt;
import dev.warden.receipts.Repeats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "query", mixinStandardHelpOptions = true, description = "List the receipts that match every given filter (a repeated filter matches any of its values).")
final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path directory;

    @Option(names = "--actor", description = "the agent that acted (repeatable)") List<String> actors = List.of();
    @Option(names = "--session", description = "repeatable") List<String> sessions = List.of();
    @Option(names = "--on-behalf-of", description = "the user the agent acted for (repeatable)") List<String> onBehalfOf = List.of();
    @Option(names = "--surface", description = "repeatable") List<String> surfaces = List.of();
    @Option(names = "--outcome", split = ",", paramLabel = "OUTCOME",
            description = "PERMIT, DENY (a rule refused), SILENCE (no rule permitted: refused), HOLD; repeatable or comma-separated")
    List<String> outcomes = List.of();
    @Option(names = "--refused", description = "the refusals: DENY and SILENCE (what --outcome DENY alone misses)")
    boolean refused;
    @Option(names = "--rule", description = "receipts that name this rule (repeatable)") List<String> rules = List.of();
    @Option(names = "--from", converter = TimeBound.class, paramLabel = "TIME",
            description = "inclusive: an ISO-8601 instant (2026-11-22T09:00:00Z), date-time with offset, or date (its start, UTC)")
    Instant from;
    @Option(names = "--to", converter = TimeBound.class, paramLabel = "TIME", description = "exclusive; same forms as --from")
    Instant to;
    @Option(names = "--json", description = "one canonical JSON receipt per line") boolean json;

    @Override
    public Integer call() throws Exception {
        ReceiptQuery query = query();
        PrintWriter out = spec.commandLine().getOut();
        Tally tally = new Tally();
        ReceiptFiles.forEach(directory, r -> {
            if (query.test(r)) {
                out.println(json ? ReceiptFiles.json(r) : TerminalText.of(line(r)));
                tally.add(r);
            }
        });
        if (!json) {
            out.println(tally);
        }
        out.flush();
        return Main.VALID;
    }

    /** What the listed receipts record, counting every refusal a counted receipt stands for. */
    private static final class Tally {
        long receipts;
        long permitted;
        long refused;
        long shadow;
        long repeats;
        long countedReceipts;

        void add(Receipt r) {
            receipts++;
            long decisions = Repeats.decisions(r.draft());
            if (Repeats.counted(r.draft())) {
                repeats += decisions;
                countedReceipts++;
            }
            if ("PERMIT".equals(r.outcome())) {
                permitted++;
            } else if (r.enforced()) {
                refused += decisions;
            } else {
                shadow++;
            }
        }

        @Override
        public String toString() {
            return receipts + " receipts: " + permitted + " permitted, " + refused + " refused"
                    + (countedReceipts == 0 ? "" : " (" + repeats + " of them repeats counted in " + countedReceipts + " receipts)")
                    + (shadow == 0 ? "" : ", " + shadow + " not enforced (shadow mode)");
        }
    }

    /** The filters as given, checked: an outcome no receipt can have or an empty time range is a usage error, not "nothing found". */
    private ReceiptQuery query() {
        List<String> wanted = new ArrayList<>();
        for (String outcome : outcomes) {
            try {
                wanted.add(ReceiptQuery.outcome(outcome));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--outcome: " + e.getMessage());
            }
        }
        if (refused) {
            wanted.addAll(ReceiptQuery.REFUSALS);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ParameterException(spec.commandLine(), "--from " + from + " is not before --to " + to + ": the range is empty");
        }
        return new ReceiptQuery(actors, sessions, onBehalfOf, surfaces, wanted, rules, from, to);
    }

    private static String line(Receipt r) {
        return r.sequence() + "  " + r.time() + "  " + r.id() + "  " + r.actor()
                + (r.onBehalfOf() == null ? "" : " for " + r.onBehalfOf()) + (r.session() == null ? "" : " [" + r.session() + "]")
                + "  " + r.surface() + " " + r.operation()
                + " " + r.target() + "  " + r.outcome() + (r.enforced() ? "" : "(shadow)") + "  " + String.join(",", r.rules())
                + repeats(r);
    }

    /** A counted receipt says how many refusals it stands for, when, and which receipt they cited. */
    static String repeats(Receipt r) {
        if (!Repeats.counted(r.draft())) {
            return "";
        }
        return "  x" + Repeats.decisions(r.draft()) + " repeated " + r.summary().get(Repeats.FROM) + ".."
                + r.summary().get(Repeats.TO) + " (burst of " + r.summary().get(Repeats.BURST) + ")";
    }
}
