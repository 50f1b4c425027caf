package dev.warden.verifier.cli;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.PolicyArchive;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;
import dev.warden.verifier.ApprovalsCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "approvals", mixinStandardHelpOptions = true, description = "Report every approval request in the log (held, approved, rejected, expired) "
        + "and check every approval cited. Exit 0 when every approval checks, 1 otherwise.")
final class ApprovalsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "receipts directory")
    Path directory;

    @Option(names = "--at", paramLabel = "INSTANT", description = "the time at which held requests count as expired (default: now)")
    Instant at;

    @Override
    public Integer call() throws Exception {
        ApprovalsCheck check = new ApprovalsCheck(new PolicyArchive(directory));
        long receipts = 0;
        try (ReceiptReader reader = ReceiptReader.open(directory)) {
            for (LogEntry e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof LogEntry.StoredReceipt stored) {
                    try {
                        Receipt r = stored.parse();
                        check.receipt(r);
                        receipts++;
                    } catch (MalformedReceiptException unreadable) {
                        // verify reports it; approvals are checked on what can be read
                    }
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Instant when = at != null ? at : Instant.now();
        for (ApprovalsCheck.Request request : check.requests()) {
            out.println(TerminalText.of(request.line(when)));
        }
        check.problems().forEach(p -> out.println(TerminalText.of(p.line())));
        long held = check.requests().stream().filter(r -> r.status(when).equals("held")).count();
        out.println(TerminalText.of(check.requests().size() + " approval requests in " + receipts + " receipts: " + held + " held, "
                + check.requests().stream().filter(r -> r.status(when).equals("approved")).count() + " approved, "
                + check.requests().stream().filter(r -> r.status(when).equals("rejected")).count() + " rejected, "
                + check.requests().stream().filter(r -> r.status(when).equals("expired")).count() + " expired; "
                + check.problems().size() + (check.problems().size() == 1 ? " problem" : " problems")));
        out.flush();
        return check.problems().isEmpty() ? Main.VALID : Main.INVALID;
    }
}
