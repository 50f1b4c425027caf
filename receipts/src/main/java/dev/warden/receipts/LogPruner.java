package dev.warden.receipts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention: removes (or moves to an archive) rolled cycle files from the head of a log, and records it in the
 * chain with a {@link Prune} receipt that a signed checkpoint covers, so the log stays verifiable from the first
 * receipt kept. It opens the log as its writer (the directory's lock, the log's key), so it never runs beside a
 * writer and never touches the cycle file a writer appends to: the newest file is always kept.
 */
public final class LogPruner {
    private LogPruner() {
    }

    /** What was pruned: the files and the first receipt kept. Nothing when {@code files} is empty. */
    public record Result(List<String> files, long firstKept) {
    }

    /**
     * @param oldest how many of the oldest cycle files to remove; at most all but the newest are
     * @param archive where removed files go, or null to delete them
     */
    public static Result prune(ReceiptLogOptions options, int oldest, Path archive) throws IOException {
        Path queueDir = options.directory().resolve(ChronicleSettings.QUEUE_DIRECTORY);
        List<String> files;
        try (QueueScanner listing = QueueScanner.open(options.directory())) {
            files = listing.cycleFiles();
        }
        List<String> removed = List.copyOf(files.subList(0, Math.max(0, Math.min(oldest, files.size() - 1))));
        if (removed.isEmpty()) {
            return new Result(List.of(), 0);
        }
        try (ReceiptLog log = ReceiptLog.open(options)) {
            String firstKept = files.get(removed.size());
            Prune prune = frontierBefore(queueDir, removed, firstKept);
            try {
                log.append(prune.draft(Instant.now()));
            } catch (ReceiptWriteException e) {
                throw new IOException("cannot record the prune: " + e.getMessage(), e);
            }
            log.checkpoint(); // the prune receipt is signed before any file goes
            if (archive != null) {
                Files.createDirectories(archive);
            }
            for (String file : removed) {
                Path from = queueDir.resolve(file);
                if (archive == null) {
                    Files.delete(from);
                } else {
                    Files.move(from, archive.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new Result(removed, prune.from());
        }
    }

    /**
     * The tree just before the first kept file's first receipt: the newest checkpoint in the removed files whose
     * frontier folds to its root, plus the leaves after it, found by following {@code prev} back from the kept file's
     * cycle-start (so a receipt a restart refused, which is out of the chain, is never taken for a leaf).
     */
    private static Prune frontierBefore(Path queueDir, List<String> removed, String firstKept) throws IOException {
        LogEntry.CycleStart start = null;
        try (QueueScanner scan = QueueScanner.ofFiles(queueDir, List.of(firstKept))) {
            for (LogEntry e = scan.next(); e != null && start == null; e = scan.next()) {
                if (e instanceof LogEntry.CycleStart s) {
                    start = s;
                }
            }
        }
        if (start == null || !start.previousFile().equals(removed.get(removed.size() - 1))) {
            throw new IOException("cannot prune before " + firstKept + ": it does not begin with a cycle-start excerpt naming "
                    + removed.get(removed.size() - 1));
        }
        CompactRange anchor = null;
        Map<String, Receipt> byHash = new HashMap<>();
        try (QueueScanner scan = QueueScanner.ofFiles(queueDir, removed)) {
            for (LogEntry e = scan.next(); e != null; e = scan.next()) {
                if (e instanceof LogEntry.StoredReceipt r && r.hashMatches()) {
                    try {
                        Receipt receipt = r.parse();
                        byHash.put(receipt.hash(), receipt);
                    } catch (MalformedReceiptException unreadable) {
                        // not a leaf anybody can use
                    }
                } else if (e instanceof LogEntry.StoredCheckpoint c) {
                    CompactRange tree = folded(c);
                    if (tree != null && tree.size() <= start.nextSequence()) {
                        anchor = tree;
                    }
                }
            }
        }
        if (anchor == null) {
            throw new IOException("cannot prune: the files to remove hold no checkpoint to continue the tree from");
        }
        List<byte[]> leaves = new ArrayList<>();
        String hash = start.previousHash();
        for (long seq = start.nextSequence() - 1; seq >= anchor.size(); seq--) {
            Receipt r = byHash.get(hash);
            if (r == null || r.sequence() != seq) {
                throw new IOException("cannot prune: receipt " + seq + " (" + hash + ") is not in the files to remove");
            }
            leaves.add(0, Hex.parse(hash));
            hash = r.previousHash();
        }
        leaves.forEach(anchor::append);
        return new Prune(start.nextSequence(), firstKept, removed.get(removed.size() - 1), removed.size(), anchor.frontier());
    }

    private static CompactRange folded(LogEntry.StoredCheckpoint c) {
        try {
            Checkpoint body = Checkpoint.parse(SignedNote.parse(c.note()).text());
            CompactRange tree = CompactRange.restore(body.size(), c.frontier());
            return Hex.of(tree.root()).equals(body.rootHash()) ? tree : null;
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }
}
