package dev.warden.agent.cli;

import dev.warden.receipts.LogPruner;
import dev.warden.receipts.QueueScanner;
import dev.warden.receipts.ReceiptLogOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code prune}: retention of rolled cycle files, recorded in the chain (docs/OPERATIONS.md, "Retain"). */
@Command(name = "prune", mixinStandardHelpOptions = true, description = {
        "Remove (or move to --archive) the oldest rolled cycle files of a receipts log, recording the prune in the chain",
        "so the log verifies from the first receipt kept. Runs as the log's writer: not while a JVM writes the directory;",
        "the newest cycle file is always kept."})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--receipts", required = true, paramLabel = "DIR", description = "the receipts directory (one chain)")
    Path receipts;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--before", paramLabel = "DATE", description = "remove cycle files of days before DATE (yyyy-MM-dd, UTC)")
        LocalDate before;

        @Option(names = "--keep-cycles", paramLabel = "N", description = "keep the newest N cycle files (at least 1)")
        Integer keep;
    }

    @Option(names = "--archive", paramLabel = "DIR", description = "move the removed files here instead of deleting them")
    Path archive;

    @Option(names = "--key", paramLabel = "FILE", description = "the log's private key (default: the generated signing-key.pem in DIR)")
    Path key;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(receipts.resolve("queue"))) {
            spec.commandLine().getErr().println("error: " + receipts + " holds no receipts queue");
            return 2;
        }
        if (which.keep != null && which.keep < 1) {
            spec.commandLine().getErr().println("error: --keep-cycles must be at least 1");
            return 2;
        }
        List<String> files;
        try (QueueScanner listing = QueueScanner.open(receipts)) {
            files = listing.cycleFiles();
        }
        int oldest = which.keep != null ? files.size() - which.keep
                : (int) files.stream().filter(f -> f.compareTo(which.before.format(DateTimeFormatter.BASIC_ISO_DATE)) < 0).count();
        LogPruner.Result result = LogPruner.prune(ReceiptLogOptions.defaults(receipts).withPrivateKey(key), oldest, archive);
        if (result.files().isEmpty()) {
            spec.commandLine().getOut().println("nothing to prune: " + files.size() + " cycle file(s), the newest is always kept");
        } else {
            spec.commandLine().getOut().println("pruned " + String.join(", ", result.files()) + (archive == null ? "" : " (moved to "
                    + archive + ")") + "; the log verifies from receipt " + result.firstKept());
        }
        return 0;
    }
}
