package dev.warden.agent.cli;

import com.google.gson.GsonBuilder;
import dev.warden.agent.lint.FactVocabulary;
import dev.warden.agent.lint.Finding;
import dev.warden.agent.lint.RulesLinter;
import dev.warden.agent.policytest.OfflinePolicy;
import dev.warden.agent.replay.ReplayChange;
import dev.warden.agent.replay.ReplayReport;
import dev.warden.agent.replay.Replayer;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.NotAReceiptsDirectoryException;
import dev.warden.receipts.ReceiptReader;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code replay RECEIPTS-DIR --rules CANDIDATE-DIR}: re-decides recorded decisions against a candidate
 * policy and prints those that would change, grouped. Exit 0 nothing widens (or {@code --allow-widening}),
 * 1 a recorded refusal would become a permit, 2 usage, unreadable receipts, or a candidate that does not
 * compile or lint.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = {"Re-decide the recorded decisions of RECEIPTS-DIR, in order, against the candidate rules",
        "and print the decisions that would change, grouped. Exit 0 nothing widens (or --allow-widening), 1 a refusal",
        "would become a permit, 2 usage, unreadable receipts, or a candidate that does not compile or lint."})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECEIPTS-DIR")
    Path receipts;

    @Option(names = "--rules", required = true, paramLabel = "CANDIDATE-DIR", description = "the candidate rules directory")
    Path rules;

    @Option(names = "--allow-widening", description = "exit 0 even when a refusal would become a permit")
    boolean allowWidening;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--from", converter = TimeBound.class, paramLabel = "TIME",
            description = "compare decisions from this time on (inclusive; earlier ones are re-decided for their state only): "
                    + "an instant (2026-11-22T09:00:00Z), a date-time with offset, or a date (its start, UTC)")
    Instant from;

    @Option(names = "--to", converter = TimeBound.class, paramLabel = "TIME", description = "stop here (exclusive); same forms as --from")
    Instant to;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "5", description = "examples per group (default 5)")
    int examples;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ParameterException(spec.commandLine(), "--from " + from + " is not before --to " + to + ": the range is empty");
        }
        if (examples < 0) {
            throw new ParameterException(spec.commandLine(), "--examples must not be negative");
        }
        if (!Files.isDirectory(receipts) || !Files.isDirectory(rules)) {
            err.println("error: " + (Files.isDirectory(receipts) ? rules : receipts) + " is not a directory");
            return 2;
        }
        OfflinePolicy candidate = candidate(err);
        if (candidate == null) {
            return 2;
        }
        Replayer replayer = new Replayer(candidate, from, to, examples);
        try (ReceiptReader reader = ReceiptReader.open(receipts)) {
            for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                if (entry instanceof LogEntry.StoredReceipt stored) {
                    replayer.replay(stored.parse().draft());
                }
            }
        } catch (NotAReceiptsDirectoryException e) {
            err.println("error: " + receipts + " holds no receipts: " + e.getMessage());
            return 2;
        } catch (MalformedReceiptException e) {
            err.println("error: a receipt in " + receipts + " cannot be read (" + e.getMessage() + "); run warden-verify verify");
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + receipts + ": " + e.getMessage());
            return 2;
        }
        ReplayReport report = replayer.report();
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(json(report)));
        } else {
            print(report, out);
        }
        out.flush();
        return report.widens() && !allowWidening ? 1 : 0;
    }

    /** The candidate compiled and linted, or null when it does not (its errors printed). */
    private OfflinePolicy candidate(PrintWriter err) throws IOException, InterruptedException {
        PolicyBundle bundle = PolicyBundle.load(rules);
        // Compiled once, by the lint, and kept for the replay: compiling is what takes seconds.
        OfflinePolicy[] compiled = new OfflinePolicy[1];
        RulesLinter.Report lint = new RulesLinter(FactVocabulary.installedModules()).lint(bundle, candidate -> {
            try {
                compiled[0] = OfflinePolicy.compile(candidate, FactVocabulary.installedModules());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PolicyCompilationException("interrupted while compiling");
            }
            return compiled[0].compiled().version();
        });
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while compiling the candidate " + rules);
        }
        if (lint.errors() > 0 || compiled[0] == null) {
            if (compiled[0] != null) {
                compiled[0].compiled().close();
            }
            lint.findings().stream().filter(Finding::isError).forEach(err::println);
            err.println("error: the candidate " + rules + " does not lint or compile (" + lint.errors() + " error(s)): nothing replayed");
            return null;
        }
        return compiled[0];
    }

    private void print(ReplayReport report, PrintWriter out) {
        out.println(TerminalText.of("replayed " + report.replayed() + " decisions of " + receipts + " against " + rules + " (policy "
                + report.candidate().substring(0, 12) + "; recorded under " + versions(report) + "): "
                + report.changed() + " would change, " + (report.replayed() - report.changed()) + " would not"));
        long skipped = report.skipped().values().stream().mapToLong(Long::longValue).sum();
        if (skipped > 0) {
            out.println(TerminalText.of("not re-decided: " + skipped));
            report.skipped().forEach((why, count) -> out.println(TerminalText.of("  " + count + "  " + why)));
        }
        for (ReplayChange.Kind kind : ReplayChange.Kind.values()) {
            if (report.count(kind) == 0) {
                continue;
            }
            out.println();
            out.println(TerminalText.of(kind.title() + ": " + report.count(kind)));
            for (ReplayChange change : report.examples(kind)) {
                out.println(TerminalText.of("  " + change.receipt() + "  " + change.time() + "  " + change.actor() + "  " + change.surface() + " "
                        + change.operation() + " " + change.target()));
                out.println(TerminalText.of("      " + change.before().outcome() + " -> " + change.after().outcome() + "   "
                        + rules(change.before()) + " -> " + rules(change.after())));
                if (kind == ReplayChange.Kind.OBLIGATIONS) {
                    out.println(TerminalText.of("      obligations " + change.before().obligations() + " -> " + change.after().obligations()));
                }
                out.println(TerminalText.of("      now: " + change.after().reason()));
            }
            if (report.count(kind) > report.examples(kind).size()) {
                out.println(TerminalText.of("  ... and " + (report.count(kind) - report.examples(kind).size()) + " more"));
            }
        }
        out.println();
        out.println("what replay cannot see (facts are as the receipts recorded them)");
        report.unseen().forEach((surface, phrases) -> phrases.forEach(phrase -> out.println(TerminalText.of("  " + surface + ": " + phrase))));
        if (report.truncated() > 0) {
            out.println(TerminalText.of("  " + report.truncated() + " decision(s) had a fact cut short in its receipt: the rules saw the cut text"));
        }
        if (report.heldAgain() > 0) {
            out.println(TerminalText.of("  " + report.heldAgain() + " permit(s) on approvals the candidate holds: approvals are not replayed"));
        }
        out.println("  state (limits, budgets, loops, chains, session labels): replayed in the log's order with the candidate's decisions");
        if (report.widens()) {
            out.println();
            out.println(TerminalText.of(report.count(ReplayChange.Kind.WIDENED) + " refusal(s) would become permits"
                    + (allowWidening ? " (allowed: --allow-widening)" : ": exit 1 (--allow-widening to accept)")));
        }
    }

    private static String versions(ReplayReport report) {
        return report.recordedVersions().isEmpty() ? "no policy"
                : String.join(", ", report.recordedVersions().stream().map(v -> v.substring(0, Math.min(12, v.length()))).toList());
    }

    private static String rules(ReplayChange.Decided decided) {
        return decided.rules().isEmpty() ? "(no rule)" : String.join(", ", decided.rules());
    }

    private Map<String, Object> json(ReplayReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("receipts", receipts.toString());
        root.put("candidate", rules.toString());
        root.put("candidateVersion", report.candidate());
        root.put("recordedVersions", report.recordedVersions().stream().sorted().toList());
        root.put("replayed", report.replayed());
        root.put("changed", report.changed());
        root.put("widens", report.widens());
        root.put("skipped", report.skipped());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ReplayChange.Kind kind : ReplayChange.Kind.values()) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("kind", kind.name());
            group.put("title", kind.title());
            group.put("count", report.count(kind));
            group.put("examples", report.examples(kind).stream().map(ReplayCommand::json).toList());
            groups.add(group);
        }
        root.put("groups", groups);
        Map<String, Object> unseen = new LinkedHashMap<>(report.unseen());
        root.put("unseen", unseen);
        root.put("truncated", report.truncated());
        root.put("heldAgainOnApprovals", report.heldAgain());
        return root;
    }

    private static Map<String, Object> json(ReplayChange change) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("receipt", change.receipt());
        example.put("time", change.time().toString());
        example.put("actor", change.actor());
        example.put("surface", change.surface());
        example.put("operation", change.operation());
        example.put("target", change.target());
        example.put("before", change.before());
        example.put("after", change.after());
        return example;
    }
}
