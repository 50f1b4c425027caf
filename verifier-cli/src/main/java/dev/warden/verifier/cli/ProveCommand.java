package dev.warden.verifier.cli;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.InclusionProof;
import dev.warden.receipts.InclusionProofs;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.TreeHashes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "prove", mixinStandardHelpOptions = true, description = "Print an inclusion proof (receipt, Merkle path, signed checkpoint) as JSON.")
final class ProveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path directory;

    @Parameters(index = "1", paramLabel = "ID", description = "receipt (action) id, or sequence number")
    String id;

    @Override
    public Integer call() throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        Receipt target = null;
        long targetIndex = -1;
        String latestNote = null;
        long latestSize = -1;
        try (ReceiptReader reader = ReceiptReader.open(directory)) {
            for (LogEntry e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof LogEntry.StoredReceipt stored) {
                    if (target == null) {
                        try {
                            Receipt r = stored.parse();
                            if (ReceiptFiles.matches(r, id)) {
                                target = r;
                                targetIndex = leaves.size();
                            }
                        } catch (MalformedReceiptException skipped) {
                            // not the one asked for; verify reports it
                        }
                    }
                    leaves.add(TreeHashes.leaf(stored.bytes()));
                } else if (e instanceof LogEntry.StoredCheckpoint c) {
                    long size = Checkpoint.parse(SignedNote.parse(c.note()).text()).size();
                    if (size > latestSize) {
                        latestSize = size;
                        latestNote = c.note();
                    }
                }
            }
        }
        if (target == null) {
            spec.commandLine().getErr().println(TerminalText.of("error: no receipt " + id + " in " + directory));
            return Main.USAGE;
        }
        if (latestSize <= targetIndex || latestSize > leaves.size()) {
            spec.commandLine().getErr().println(TerminalText.of("error: no checkpoint covers receipt " + target.sequence() + " yet"));
            return Main.INVALID;
        }
        List<String> path = InclusionProofs.path(leaves, targetIndex, latestSize).stream().map(HexFormat.of()::formatHex).toList();
        InclusionProof proof = new InclusionProof(new String(target.canonicalBytes(), StandardCharsets.UTF_8),
                targetIndex, latestSize, path, latestNote);
        spec.commandLine().getOut().println(proof.toJson());
        return Main.VALID;
    }
}
