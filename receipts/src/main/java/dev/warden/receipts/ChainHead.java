package dev.warden.receipts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where a reopened log continues, found by scanning the queue's files (never Chronicle's hints):
 * the chain id, the next sequence number, the hash of the last genuine receipt, the tree as of the
 * last genuine checkpoint, the leaf hashes recovered after it, what the restart must record
 * ({@link Recovery}), and where the newest cycle file's data ends.
 *
 * <p>Honest recovery: a checkpoint is genuine when its signature verifies under the writer's own key
 * and its frontier folds to its signed root. Receipts after it are recovered only while each one's
 * bytes hash to its recorded hash, it parses canonically, continues the chain (chain id, sequence,
 * prev) and carries this key's {@link ReceiptMac}; from the first that fails on, excerpts are refused
 * and stay out of the chain and the tree. The scan reads files backwards only as far as the newest
 * one holding a genuine checkpoint, so reopening costs about one cycle file, not the whole log.
 *
 * @param lastFile  the newest cycle file, or null when there is none yet
 * @param lastFileEnd where its data ends (the offset of the header an append goes to)
 */
record ChainHead(String chain, long nextSequence, String previousHash, CompactRange tree, List<byte[]> unsignedLeaves,
                 Recovery recovery, String lastFile, QueueScanner.CycleSummary lastFileScan) {
    /** A torn write larger than this is not what a crash leaves: someone wrote there. */
    static final long MAX_TORN_BYTES = 4L << 20;
    private static final int LOOKBACK = 4096;

    private record Genuine(LogEntry.StoredCheckpoint excerpt, long size, CompactRange tree) {
    }

    static ChainHead fresh() {
        return new ChainHead(JdkSun.randomUuid().toString(), 0, Receipt.GENESIS_PREVIOUS, new CompactRange(), List.of(),
                null, null, null);
    }

    /**
     * @throws IOException when the queue cannot be continued safely: its hints disagree with its data, data lies
     *                     where no reader looks, or the head of the chain is gone (the writer then fails closed)
     */
    static ChainHead recover(Path directory, SigningKey key, ReceiptMac mac, String origin) throws IOException {
        Path queueDir = directory.resolve(ChronicleSettings.QUEUE_DIRECTORY);
        List<String> files;
        try (QueueScanner listing = QueueScanner.open(directory)) {
            files = listing.cycleFiles();
        } catch (NotAReceiptsDirectoryException empty) {
            return fresh();
        }
        if (files.isEmpty()) {
            return fresh();
        }
        int from = files.size() - 1;
        Genuine genuine = null;
        LogEntry.StoredCheckpoint[] newest = new LogEntry.StoredCheckpoint[1];
        for (; from >= 0 && genuine == null; from--) {
            genuine = lastGenuineCheckpoint(queueDir, files.get(from), key, newest);
        }
        from++;
        if (genuine == null) {
            if (newest[0] != null) {
                throw new KeyMismatchException("the receipts in " + directory.toAbsolutePath() + " are signed by another key:"
                        + " no checkpoint verifies under this key (" + keyName(origin, key.publicKey()) + "); the newest, at "
                        + newest[0].location() + ", is signed by " + signers(newest[0]) + ". Configure the log's key, or rotate"
                        + " explicitly (rotate-key=<the log's current private key>)");
            }
            from = 0;
        }
        return new Walk(genuine, mac, key.publicKey()).run(QueueScanner.ofFiles(queueDir, files.subList(from, files.size())),
                files.get(files.size() - 1));
    }

    private static String keyName(String origin, VerificationKey key) {
        return origin + "+" + String.format("%08x", key.keyHash(origin));
    }

    private static String signers(LogEntry.StoredCheckpoint c) {
        try {
            return String.join(", ", SignedNote.parse(c.note()).signatures().stream()
                    .map(s -> s.keyName() + "+" + String.format("%08x", s.keyHash())).toList());
        } catch (IllegalArgumentException unreadable) {
            return "an unreadable signature";
        }
    }

    /** The newest genuine checkpoint of {@code file}; remembers the newest checkpoint of any signer met so far in {@code newest}. */
    private static Genuine lastGenuineCheckpoint(Path queueDir, String file, SigningKey key, LogEntry.StoredCheckpoint[] newest) {
        List<LogEntry.StoredCheckpoint> found = new ArrayList<>();
        try (QueueScanner scan = QueueScanner.ofFiles(queueDir, List.of(file))) {
            for (LogEntry e = scan.next(); e != null; e = scan.next()) {
                if (e instanceof LogEntry.StoredCheckpoint c) {
                    found.add(c);
                }
            }
        }
        if (newest[0] == null && !found.isEmpty()) {
            newest[0] = found.get(found.size() - 1);
        }
        for (int i = found.size() - 1; i >= 0; i--) {
            Genuine g = genuine(found.get(i), key);
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    private static Genuine genuine(LogEntry.StoredCheckpoint c, SigningKey key) {
        try {
            SignedNote note = SignedNote.parse(c.note());
            Checkpoint body = Checkpoint.parse(note.text());
            if (!note.verifiedBy(body.origin(), key.publicKey())
                    && note.signatures().stream().noneMatch(s -> note.verifiedBy(s.keyName(), key.publicKey()))) {
                return null;
            }
            CompactRange tree = CompactRange.restore(body.size(), c.frontier());
            return Hex.of(tree.root()).equals(body.rootHash()) ? new Genuine(c, body.size(), tree) : null;
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /** One forward pass from the file holding the genuine checkpoint to the end. */
    private static final class Walk {
        private final Genuine genuine;
        private final ReceiptMac mac;
        private final Deque<LogEntry.StoredReceipt> before = new ArrayDeque<>();
        private final long checkpointSize;
        private boolean pastCheckpoint;
        private boolean headFound;
        private String chain;
        private long next;
        private String head = Receipt.GENESIS_PREVIOUS;
        private final List<byte[]> recovered = new ArrayList<>();
        private long rejected;
        private ExcerptLocation rejectedFrom;
        private ExcerptLocation rejectedTo;
        private String rejectedWhy;

        private final VerificationKey key;

        Walk(Genuine genuine, ReceiptMac mac, VerificationKey key) {
            this.genuine = genuine;
            this.mac = mac;
            this.key = key;
            this.checkpointSize = genuine == null ? 0 : genuine.size();
            this.pastCheckpoint = genuine == null;
            this.headFound = checkpointSize == 0;
        }

        ChainHead run(QueueScanner scan, String lastFile) throws IOException {
            try (scan) {
                for (LogEntry e = scan.next(); e != null; e = scan.next()) {
                    if (!pastCheckpoint) {
                        if (e instanceof LogEntry.StoredReceipt r) {
                            before.addLast(r);
                            if (before.size() > LOOKBACK) {
                                before.removeFirst();
                            }
                        } else if (e == genuine.excerpt() || e instanceof LogEntry.StoredCheckpoint c
                                && c.location().equals(genuine.excerpt().location())) {
                            pastCheckpoint = true;
                            findHead();
                        }
                    } else if (e instanceof LogEntry.StoredReceipt r) {
                        tail(r);
                    }
                }
                QueueScanner.CycleSummary last = scan.summaries().get(scan.summaries().size() - 1);
                return finish(lastFile, last);
            }
        }

        /** Receipt {@code size - 1} is among the last receipts before the checkpoint's excerpt; the ones after it are tail. */
        private void findHead() throws IOException {
            List<LogEntry.StoredReceipt> window = new ArrayList<>(before);
            before.clear();
            int at = -1;
            for (int i = window.size() - 1; i >= 0 && at < 0; i--) {
                Receipt r = intact(window.get(i));
                if (r != null && r.sequence() == checkpointSize - 1) {
                    rotatedAway(r);
                    at = i;
                    chain = r.chain();
                    head = r.hash();
                }
            }
            if (at < 0) {
                throw new IOException("the receipts queue cannot be continued: its last genuine checkpoint ("
                        + genuine.excerpt().location() + ") covers " + checkpointSize + " receipts, but receipt "
                        + (checkpointSize - 1) + " is not among the receipts before it: receipts were removed or altered."
                        + " Keep the directory for the auditors and start a new log in another directory");
            }
            headFound = true;
            next = checkpointSize;
            for (int i = at + 1; i < window.size(); i++) {
                tail(window.get(i));
            }
        }

        private void tail(LogEntry.StoredReceipt r) throws KeyMismatchException {
            if (rejected > 0) {
                reject(r, null);
                return;
            }
            Receipt receipt = intact(r);
            String why = null;
            if (receipt == null) {
                why = "its bytes are not a canonical receipt that hashes to its recorded hash";
            } else if (chain != null && !chain.equals(receipt.chain())) {
                why = "it belongs to chain " + receipt.chain();
            } else if (receipt.sequence() != next || !receipt.previousHash().equals(head)) {
                why = "it does not continue the chain from receipt " + (next - 1) + " (sequence " + receipt.sequence() + ")";
            } else if (!mac.matches(r.recordedHash(), r.mac())) {
                why = "its MAC is not this signing key's: not written by this writer (forged)";
            }
            if (why != null) {
                reject(r, why);
                return;
            }
            rotatedAway(receipt);
            chain = receipt.chain();
            recovered.add(r.recordedHash());
            head = receipt.hash();
            next++;
        }

        /** A writer whose key the chain rotated away from must not continue it: the verifier no longer accepts that key. */
        private void rotatedAway(Receipt r) throws KeyMismatchException {
            java.util.Optional<VerificationKey> next = KeyRotation.newKey(r);
            if (next.isPresent() && !next.get().equals(key)) {
                throw new KeyMismatchException("this signing key was rotated out of the receipts log: receipt " + r.sequence()
                        + " (" + r.id() + ") hands it to key " + KeyRotation.encode(next.get())
                        + "; configure that key");
            }
        }

        private void reject(LogEntry.StoredReceipt r, String why) {
            if (rejected == 0) {
                rejectedFrom = r.location();
                rejectedWhy = why;
            }
            rejected++;
            rejectedTo = r.location();
        }

        private ChainHead finish(String lastFile, QueueScanner.CycleSummary last) throws IOException {
            if (!headFound) {
                throw new IOException("the receipts queue cannot be continued: its last genuine checkpoint ("
                        + genuine.excerpt().location() + ") was not found again while scanning; the queue changed under the writer");
            }
            for (LogEntry.QueueDamage d : last.damage()) {
                if (d.damage() == LogEntry.Damage.TORN && last.tornFrom() == last.endOfData()
                        && last.tornTo() - last.tornFrom() <= MAX_TORN_BYTES) {
                    continue; // what a crash mid-write leaves: cleared before appending
                }
                if (d.damage() == LogEntry.Damage.TORN || d.damage() == LogEntry.Damage.HIDDEN
                        || d.damage() == LogEntry.Damage.HINT || d.damage() == LogEntry.Damage.CORRUPT) {
                    throw new IOException("refusing to append to the receipts queue: " + d.location() + ": " + d.why()
                            + ". Appending would put receipts where no reader looks or over others. The queue was modified"
                            + " outside Warden: keep the directory for the auditors and start a new log in another directory");
                }
            }
            if (chain == null) {
                chain = JdkSun.randomUuid().toString();
            }
            long firstRecovered = checkpointSize;
            Recovery recovery = new Recovery(checkpointSize, firstRecovered, recovered.size(), head, rejected, rejectedFrom,
                    rejectedTo, rejectedWhy, null);
            CompactRange tree = genuine == null ? new CompactRange() : genuine.tree();
            return new ChainHead(chain, next, head, tree, List.copyOf(recovered), recovery, lastFile, last);
        }

        private static Receipt intact(LogEntry.StoredReceipt r) {
            if (!r.hashMatches()) {
                return null;
            }
            try {
                return r.parse();
            } catch (MalformedReceiptException e) {
                return null;
            }
        }
    }
}
