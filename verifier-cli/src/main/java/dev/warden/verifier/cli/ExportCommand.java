package dev.warden.verifier.cli;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.siem.CheckpointEvent;
import dev.warden.receipts.siem.SiemFormat;
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

@Command(name = "export", mixinStandardHelpOptions = true, description = "Write every readable receipt as JSON lines, CSV, or SIEM events (ecs, ocsf: with the checkpoints).")
final class ExportCommand implements Callable<Integer> {
    enum Format { jsonl, csv, ecs, ocsf }

    private static final List<String> CSV_COLUMNS = List.of("seq", "id", "time", "actor", "onBehalfOf", "session",
            "surface", "operation", "target", "outcome", "enforced", "rules", "reason", "policyVersion", "actionDigest", "hash", "decisions");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path directory;

    @Option(names = "--format", required = true, description = "jsonl (canonical receipts), csv (one row per receipt), "
            + "ecs or ocsf (SIEM events, the agent's siem= mapping: receipts and checkpoints in log order)")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.ecs || format == Format.ocsf) {
            siem(out, SiemFormat.named(format.name()));
            out.flush();
            return Main.VALID;
        }
        if (format == Format.csv) {
            out.println(String.join(",", CSV_COLUMNS));
        }
        ReceiptFiles.forEach(directory, r -> out.println(format == Format.jsonl ? ReceiptFiles.json(r) : csv(r)));
        out.flush();
        return Main.VALID;
    }

    /**
     * Receipts and checkpoints in the order the log holds them. A checkpoint's time is that of the last
     * receipt it follows (the note itself carries none).
     */
    private void siem(PrintWriter out, SiemFormat siem) throws java.io.IOException {
        java.time.Instant last = java.time.Instant.EPOCH;
        try (ReceiptReader reader = ReceiptReader.open(directory)) {
            for (LogEntry e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof LogEntry.StoredReceipt stored) {
                    try {
                        Receipt receipt = stored.parse();
                        last = receipt.time();
                        out.println(siem.receipt(receipt));
                    } catch (MalformedReceiptException unreadable) {
                        // skipped here; `verify` reports it
                    }
                } else if (e instanceof LogEntry.StoredCheckpoint checkpoint) {
                    note(out, siem, checkpoint.note(), last, false);
                } else if (e instanceof LogEntry.StoredCosigned cosigned) {
                    note(out, siem, cosigned.note(), last, true);
                }
            }
        }
    }

    private static void note(PrintWriter out, SiemFormat siem, String note, java.time.Instant time, boolean cosigned) {
        try {
            out.println(siem.checkpoint(new CheckpointEvent(time, SignedNote.parse(note), cosigned)));
        } catch (RuntimeException unreadable) {
            // skipped here; `verify` reports it
        }
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
    /**
     * One CSV field (RFC 4180). A field a spreadsheet would take for a formula ({@code =}, {@code +}, {@code -}, {@code @},
     * a tab or a carriage return first) gets a {@code '} before it: values the agent chose (a tool's name, a target) were
     * opened as live {@code HYPERLINK} formulas (a second reading, 2026-12-06).
     */
    private static String field(String value) {
        String s = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
