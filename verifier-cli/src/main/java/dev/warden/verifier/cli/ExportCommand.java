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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "export", mixinStandardHelpOptions = true, description = "Write every readable receipt as JSON lines or CSV.")
final class ExportCommand implements Callable<Integer> {
    enum Format { jsonl, csv }

    private static final List<String> CSV_COLUMNS = List.of("seq", "id", "time", "actor", "onBehalfOf", "session",
            "surface", "operation", "target", "outcome", "enforced", "rules", "reason", "policyVersion", "actionDigest", "hash", "decisions");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path directory;

    @Option(names = "--format", required = true, description = "jsonl (canonical receipts) or csv (one row per receipt)")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.csv) {
            out.println(String.join(",", CSV_COLUMNS));
        }
        ReceiptFiles.forEach(directory, r -> out.println(format == Format.jsonl ? ReceiptFiles.json(r) : csv(r)));
        out.flush();
        return Main.VALID;
    }

    private static String csv(Receipt r) {
        return List.of(String.valueOf(r.sequence()), r.id(), r.time().toString(), str(r.actor()), str(r.onBehalfOf()),
                        str(r.session()), r.surface(), r.operation(), str(r.target()), r.outcome(), String.valueOf(r.enforced()),
                        String.join(";", r.rules()), str(r.reason()), str(r.policyVersion()), str(r.actionDigest()), r.hash(),
                        String.valueOf(Repeats.decisions(r.draft())))
                .stream().map(ExportCommand::field).collect(Collectors.joining(","));
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }

    // RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes.
    private static String field(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
