package dev.warden.verifier.cli;

import dev.warden.receipts.Receipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true, description = "Print one receipt, by id or sequence number.")
final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path directory;

    @Parameters(index = "1", paramLabel = "ID", description = "receipt (action) id, or sequence number")
    String id;

    @Option(names = "--json", description = "the receipt's canonical JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Receipt> found = new ArrayList<>();
        ReceiptFiles.forEach(directory, r -> {
            if (ReceiptFiles.matches(r, id)) {
                found.add(r);
            }
        });
        PrintWriter out = spec.commandLine().getOut();
        if (found.isEmpty()) {
            spec.commandLine().getErr().println(TerminalText.of("error: no receipt " + id + " in " + directory));
            return Main.USAGE;
        }
        for (Receipt r : found) {
            out.println(json ? ReceiptFiles.json(r) : human(r));
        }
        return Main.VALID;
    }

    /** One line per field, each shown by {@link TerminalText}: nothing a receipt holds can add a line or act on the terminal. */
    static String human(Receipt r) {
        return String.join("\n", java.util.stream.Stream.of(
                "receipt        " + r.id(),
                "sequence       " + r.sequence() + " in chain " + r.chain(),
                "time           " + r.time(),
                "actor          " + r.actor() + (r.onBehalfOf() == null ? "" : " on behalf of " + r.onBehalfOf()),
                "session        " + r.session(),
                "action         " + r.surface() + " " + r.operation() + " " + r.target(),
                "action digest  " + r.actionDigest(),
                "summary        " + r.summary(),
                "outcome        " + r.outcome() + (r.enforced() ? "" : " (shadow: not enforced)"),
                "rules          " + String.join(", ", r.rules()),
                "reason         " + r.reason(),
                "obligations    " + r.obligations(),
                "policy         " + r.policyVersion(),
                "prev           " + r.previousHash(),
                "hash           " + r.hash()).map(TerminalText::of).toList());
    }
}
