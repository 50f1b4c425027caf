package dev.warden.verifier.cli;

import dev.warden.receipts.Receipt;
import dev.warden.receipts.Repeats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

@Command(name = "query", description = "List the receipts that match every given filter.")
final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path directory;

    @Option(names = "--actor") String actor;
    @Option(names = "--session") String session;
    @Option(names = "--on-behalf-of", description = "the user the agent acted for") String onBehalfOf;
    @Option(names = "--surface") String surface;
    @Option(names = "--outcome") String outcome;
    @Option(names = "--rule", description = "receipts that name this rule") String rule;
    @Option(names = "--from", description = "inclusive, ISO-8601 instant") Instant from;
    @Option(names = "--to", description = "exclusive, ISO-8601 instant") Instant to;
    @Option(names = "--json", description = "one canonical JSON receipt per line") boolean json;

    @Override
    public Integer call() throws Exception {
        Predicate<Receipt> filter = r -> (actor == null || actor.equals(r.actor()))
                && (session == null || session.equals(r.session()))
                && (onBehalfOf == null || onBehalfOf.equals(r.onBehalfOf()))
                && (surface == null || surface.equals(r.surface()))
                && (outcome == null || outcome.equalsIgnoreCase(r.outcome()))
                && (rule == null || r.rules().contains(rule))
                && (from == null || !r.time().isBefore(from))
                && (to == null || r.time().isBefore(to));
        PrintWriter out = spec.commandLine().getOut();
        Tally tally = new Tally();
        ReceiptFiles.forEach(directory, r -> {
            if (filter.test(r)) {
                out.println(json ? ReceiptFiles.json(r) : line(r));
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
