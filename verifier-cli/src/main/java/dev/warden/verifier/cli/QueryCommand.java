package dev.warden.verifier.cli;

import dev.warden.receipts.Receipt;
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
        ReceiptFiles.forEach(directory, r -> {
            if (filter.test(r)) {
                out.println(json ? ReceiptFiles.json(r) : line(r));
            }
        });
        out.flush();
        return Main.VALID;
    }

    private static String line(Receipt r) {
        return r.sequence() + "  " + r.time() + "  " + r.id() + "  " + r.actor()
                + (r.onBehalfOf() == null ? "" : " for " + r.onBehalfOf()) + (r.session() == null ? "" : " [" + r.session() + "]")
                + "  " + r.surface() + " " + r.operation()
                + " " + r.target() + "  " + r.outcome() + (r.enforced() ? "" : "(shadow)") + "  " + String.join(",", r.rules());
    }
}
