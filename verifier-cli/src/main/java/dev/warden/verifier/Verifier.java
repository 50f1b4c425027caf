package dev.warden.verifier;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.CompactRange;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.PolicyArchive;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.VerificationKey;
import dev.warden.verifier.Problem.Kind;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a receipts directory against a public key, trusting nothing the writer recorded about
 * itself: every receipt's bytes against its hash, the chain links and sequence numbers, every
 * checkpoint's signature and Merkle root, and the policy archive.
 *
 * <p>Two passes over memory, one over the queue: the first reads every excerpt, checks receipts in
 * order and collects leaf hashes and checkpoints; the second folds the leaves into one tree and
 * compares the root at each checkpoint's size (checkpoints are written after the receipts they cover,
 * so their sizes are only comparable once all leaves are known).
 */
public final class Verifier {
    private static final HexFormat HEX = HexFormat.of();

    private final Path directory;
    private final VerificationKey key;
    private final List<Problem> problems = new ArrayList<>();
    private final List<byte[]> leaves = new ArrayList<>();
    private Damaged damaged; // an unreadable receipt whose fate depends on what follows it
    private final java.util.BitSet intact = new java.util.BitSet();
    private final List<SignedCheckpoint> signedCheckpoints = new ArrayList<>();
    private final Map<String, String> firstUseOfPolicy = new LinkedHashMap<>();
    private final ApprovalsCheck approvals;
    private long checkpointExcerpts;
    private Receipt previous;
    private String previousRecordedHash;
    private String chain;

    private record SignedCheckpoint(Checkpoint checkpoint, long queueIndex) {
    }

    /** An excerpt that is not a readable receipt, and the index of the problem reported for it. */
    private record Damaged(LogEntry.StoredReceipt stored, String name, int problem) {
    }

    private Verifier(Path directory, VerificationKey key) {
        this.directory = directory;
        this.key = key;
        this.approvals = new ApprovalsCheck(new PolicyArchive(directory));
    }

    /**
     * @throws dev.warden.receipts.NotAReceiptsDirectoryException when the directory holds no receipts queue
     */
    public static VerificationReport verify(Path directory, VerificationKey key) throws IOException {
        return new Verifier(directory, key).run();
    }

    private VerificationReport run() throws IOException {
        try (ReceiptReader reader = ReceiptReader.open(directory)) {
            for (LogEntry e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof LogEntry.StoredReceipt r) {
                    receipt(r);
                } else if (e instanceof LogEntry.StoredCheckpoint c) {
                    checkpoint(c);
                } else if (e instanceof LogEntry.UnreadableEntry u) {
                    problems.add(new Problem(Kind.INVALID, "excerpt " + index(u.index()), u.why()));
                }
            }
        }
        if (damaged != null) {
            truncated("it is the last excerpt: a write the writer never finished");
        }
        long covered = checkRoots();
        if (covered < leaves.size()) {
            problems.add(new Problem(Kind.UNCHECKPOINTED, range(covered, leaves.size() - 1),
                    "no valid signed checkpoint covers " + (leaves.size() - covered) + " receipt(s)"));
        }
        checkPolicies();
        problems.addAll(approvals.problems());
        long valid = intact.get(0, (int) Math.min(covered, leaves.size())).cardinality();
        long validCheckpoints = signedCheckpoints.stream().filter(c -> c.checkpoint().size() <= covered).count();
        return new VerificationReport(leaves.size(), valid, checkpointExcerpts, validCheckpoints, covered,
                firstUseOfPolicy.size(), problems);
    }

    private void receipt(LogEntry.StoredReceipt stored) {
        Receipt r;
        try {
            r = stored.parse();
        } catch (MalformedReceiptException e) {
            settleDamaged(null);
            String name = "receipt #" + leaves.size() + " (excerpt " + index(stored.index()) + ")";
            problems.add(new Problem(Kind.INVALID, name, "not a canonical receipt: " + e.getMessage()));
            damaged = new Damaged(stored, name, problems.size() - 1);
            return;
        }
        settleDamaged(r);
        int position = leaves.size();
        // The tree is over the hashes as recorded: a signed root then vouches for them, and a receipt is
        // valid when its bytes hash to its recorded, signed hash. One altered receipt stays one problem.
        leaves.add(stored.recordedHash());
        String name = "receipt " + r.sequence() + " (" + r.id() + ")";
        boolean ok = true;
        if (!Arrays.equals(r.leafHash(), stored.recordedHash())) {
            ok = fail(Kind.INVALID, name, "its bytes do not hash to the hash recorded when it was written (altered after writing)");
        }
        if (chain == null) {
            chain = r.chain();
        } else if (!chain.equals(r.chain())) {
            ok = fail(Kind.INVALID, name, "belongs to chain " + r.chain() + ", not to " + chain);
        }
        long expected = previous == null ? position : previous.sequence() + 1;
        if (r.sequence() > expected) {
            ok = fail(Kind.MISSING, name, "receipts " + expected + ".." + (r.sequence() - 1) + " are missing before it");
        } else if (r.sequence() < expected) {
            ok = fail(Kind.INVALID, name, "out of order: sequence " + r.sequence() + " where " + expected + " was due");
        } else if (previous != null && !r.previousHash().equals(previousRecordedHash)) {
            ok = fail(Kind.INVALID, name, "prev " + r.previousHash() + " is not the hash of receipt " + previous.sequence()
                    + " (" + previousRecordedHash + ")");
        } else if (previous == null && r.sequence() == 0 && !r.previousHash().equals(Receipt.GENESIS_PREVIOUS)) {
            ok = fail(Kind.INVALID, name, "the first receipt of a chain has prev " + Receipt.GENESIS_PREVIOUS);
        }
        if (ok) {
            intact.set(position);
        }
        if (r.policyVersion() != null) {
            firstUseOfPolicy.putIfAbsent(r.policyVersion(), name);
        }
        approvals.receipt(r, name);
        previous = r;
        previousRecordedHash = HEX.formatHex(stored.recordedHash());
    }

    private void checkpoint(LogEntry.StoredCheckpoint stored) {
        checkpointExcerpts++;
        String where = "checkpoint at excerpt " + index(stored.index());
        SignedNote note;
        Checkpoint checkpoint;
        try {
            note = SignedNote.parse(stored.note());
            checkpoint = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(Kind.INVALID, where, "unreadable note: " + e.getMessage()));
            return;
        }
        where = "checkpoint " + checkpoint.size() + " (" + checkpoint.origin() + ")";
        boolean ourKey = note.signatures().stream().anyMatch(s -> s.keyHash() == key.keyHash(s.keyName()));
        if (!ourKey) {
            String by = note.signatures().stream().map(s -> s.keyName() + "+" + String.format("%08x", s.keyHash()))
                    .reduce((a, b) -> a + ", " + b).orElse("nobody");
            problems.add(new Problem(Kind.INVALID, where, "not signed by the given public key (signed by " + by + ")"));
        } else if (note.signatures().stream().noneMatch(s -> note.verifiedBy(s.keyName(), key))) {
            problems.add(new Problem(Kind.INVALID, where, "signature does not verify: the note was altered after signing"));
        } else {
            signedCheckpoints.add(new SignedCheckpoint(checkpoint, stored.index()));
        }
    }

    /**
     * Decides what an unreadable receipt was, now that the next one ({@code next}, or {@code null} for
     * another unreadable one) is known. If the next receipt continues the chain from the receipt before
     * it, the writer restarted and skipped it: a write cut short by a crash, never part of the chain or
     * the tree (TRUNCATED). Otherwise it held a place in the chain and is INVALID.
     */
    private void settleDamaged(Receipt next) {
        if (damaged == null) {
            return;
        }
        boolean skippedOnRestart = next != null && (previous == null
                ? next.sequence() == 0
                : next.sequence() == previous.sequence() + 1 && next.previousHash().equals(previousRecordedHash));
        if (skippedOnRestart) {
            truncated("the writer restarted after it and continued the chain from the receipt before it");
        } else {
            leaves.add(damaged.stored().recordedHash());
            previous = null;
            damaged = null;
        }
    }

    private void truncated(String why) {
        Problem p = problems.get(damaged.problem());
        problems.set(damaged.problem(), new Problem(Kind.TRUNCATED, damaged.name(),
                "cut short, as a crash mid-write leaves an excerpt, and not accepted as a receipt: " + why + " (" + p.why() + ")"));
        damaged = null;
    }

    /** Folds all leaves once; returns how many receipts the largest matching checkpoint covers. */
    private long checkRoots() {
        signedCheckpoints.sort(Comparator.comparingLong(c -> c.checkpoint().size()));
        CompactRange tree = new CompactRange();
        long covered = 0;
        List<SignedCheckpoint> valid = new ArrayList<>();
        for (SignedCheckpoint c : signedCheckpoints) {
            long size = c.checkpoint().size();
            String subject = "checkpoint " + size + " (" + c.checkpoint().origin() + ")";
            if (size > leaves.size()) {
                problems.add(new Problem(Kind.MISSING, subject, "it covers " + size + " receipts but only " + leaves.size()
                        + " are present: " + range(leaves.size(), size - 1) + " were removed"));
                continue;
            }
            while (tree.size() < size) {
                tree.append(leaves.get((int) tree.size()));
            }
            if (!HEX.formatHex(tree.root()).equals(c.checkpoint().rootHash())) {
                problems.add(new Problem(Kind.INVALID, subject, "Merkle root of " + range(0, size - 1)
                        + " does not match the signed root: a receipt it covers was altered, removed, inserted or moved"));
                continue;
            }
            valid.add(c);
            covered = Math.max(covered, size);
        }
        signedCheckpoints.retainAll(valid);
        return covered;
    }

    private void checkPolicies() throws IOException {
        PolicyArchive archive = new PolicyArchive(directory);
        for (Map.Entry<String, String> use : firstUseOfPolicy.entrySet()) {
            String version = use.getKey();
            Optional<byte[]> bundle = archive.read(version);
            if (bundle.isEmpty()) {
                problems.add(new Problem(Kind.MISSING, "policy " + version, "named by " + use.getValue()
                        + " but not archived in " + archive.file(version)));
            } else if (!HEX.formatHex(sha256(bundle.get())).equals(version)) {
                problems.add(new Problem(Kind.INVALID, "policy " + version, "the archived bundle does not hash to its version"));
            }
        }
    }

    private String range(long from, long to) {
        return from == to ? "receipt " + from : "receipts " + from + ".." + to;
    }

    private boolean fail(Kind kind, String subject, String why) {
        problems.add(new Problem(kind, subject, why));
        return false;
    }

    private static String index(long chronicleIndex) {
        return "0x" + Long.toHexString(chronicleIndex);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
