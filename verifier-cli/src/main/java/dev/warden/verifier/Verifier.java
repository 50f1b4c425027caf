package dev.warden.verifier;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.CompactRange;
import dev.warden.receipts.ExcerptLocation;
import dev.warden.receipts.KeyRotation;
import dev.warden.receipts.Prune;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.PolicyArchive;
import dev.warden.receipts.QueueScanner;
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
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.time.Instant;

/**
 * Checks a receipts directory against a public key, trusting nothing the writer recorded about
 * itself and none of Chronicle's hints: every byte of every cycle file (through the bounds-checked
 * {@link dev.warden.receipts.QueueScanner}), every receipt's bytes against its hash, the chain links
 * and sequence numbers, the cycle files' links to each other, every checkpoint's signature, Merkle
 * root and frontier, the sequence of checkpoints (increasing, none missing, none repeated), recovery
 * receipts, and the policy archive. The full list of problems is in docs/RECEIPTS.md.
 *
 * <p>One pass over the queue, then one over memory: checkpoints are written after the receipts they
 * cover, so their roots are compared once all leaves are known.
 */
public final class Verifier {
    private static final HexFormat HEX = HexFormat.of();

    private final Path directory;
    /** The key of the current key period: the given key, then each key a rotation hands the log to. */
    private VerificationKey key;
    private final VerificationKey givenKey;
    /** The given key, then each key a rotation handed the log to: an outside reference signed by any of them counts. */
    private final List<VerificationKey> periodKeys = new ArrayList<>();
    /** A rotation receipt whose checkpoint (signed by both keys) has not come yet, and its sequence number. */
    private VerificationKey rotatingTo;
    private long rotationSequence;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** The keys the auditor accepts a rotation to (besides none): a rotation to any other key is a problem. */
    private final Set<String> rotationsAllowed;
    /** Checkpoints known from outside this log may or may not have reached (a directory of chains: whose they are is not known). */
    private List<ExpectedCheckpoint> candidates = List.of();
    /** The time of the last rotation receipt: receipts after it timed before it are noted. */
    private Instant rotatedAt;
    private boolean backwardsNoted;
    private final LeafHashes leaves = new LeafHashes();
    private final Locations leafLocations = new Locations();
    /** Every receipt excerpt since the first, in queue order, and the leaf it became (-1: none). */
    private final List<ExcerptLocation> receiptExcerpts = new Locations();
    /** Which leaves are valid, from {@link #base} on (the placeholders before it never are). */
    private final BitSet intact = new BitSet();
    private final List<SignedCheckpoint> signedCheckpoints = new ArrayList<>();
    private final List<RecoveredRange> recoveries = new ArrayList<>();
    private final Map<String, String> firstUseOfPolicy = new LinkedHashMap<>();
    private Damaged damaged; // an unreadable receipt whose fate depends on what follows it
    private boolean full; // more receipts than the lists hold: reported once, the rest not checked
    private final ApprovalsCheck approvals;
    private long checkpointExcerpts;
    private long previousSequence = -1;
    private final PreviousHash previousRecordedHash = new PreviousHash();
    private String chain;
    private List<String> cycleFiles = List.of();
    private String currentFile;
    private final List<String> filesWithStart = new ArrayList<>();
    private LogEntry.CycleStart pendingStart; // its claim about the next receipt, checked when that receipt comes
    /** Sequence number of the first receipt present when the log's head is gone (pruned or cut); 0 otherwise. */
    private long base;
    private LogEntry.CycleStart firstStart;
    /** What a cut head makes the log report unless a prune receipt records exactly that cut. */
    private final List<Problem> headCut = new ArrayList<>();
    private final List<Prune> prunes = new ArrayList<>();
    private static final byte[] PRUNED = new byte[32];

    private record SignedCheckpoint(Checkpoint checkpoint, ExcerptLocation location, long leavesBefore, List<byte[]> frontier) {
    }

    private record RecoveredRange(long from, long to, long recoverySequence, String recoveryId, ExcerptLocation location) {
    }

    /** An excerpt that is not a readable receipt, and the index of the problem reported for it. */
    private record Damaged(LogEntry.StoredReceipt stored, String name, int problem) {
    }

    private final WitnessCheck witnesses;

    private final int threads;
    private final int batch;

    private Verifier(Path directory, VerificationKey key, WitnessRequirements requirements, Set<String> rotationsAllowed,
                     int threads, int batch) {
        this.directory = directory;
        this.rotationsAllowed = Set.copyOf(rotationsAllowed);
        this.threads = threads;
        this.batch = batch;
        this.key = key;
        this.givenKey = key;
        this.periodKeys.add(key);
        this.witnesses = new WitnessCheck(key, requirements);
        this.approvals = new ApprovalsCheck(new PolicyArchive(directory));
    }

    /**
     * @throws dev.warden.receipts.NotAReceiptsDirectoryException when the directory holds no receipts queue
     */
    public static VerificationReport verify(Path directory, VerificationKey key) throws IOException {
        return verify(directory, key, WitnessRequirements.NONE);
    }

    /** Also checks the witnesses' cosignatures and an outside reference, as {@code requirements} asks. */
    public static VerificationReport verify(Path directory, VerificationKey key, WitnessRequirements requirements)
            throws IOException {
        return verify(directory, key, requirements, Set.of());
    }

    /**
     * Also accepts key rotations to the keys of {@code rotationsAllowed} ({@link #fingerprint}s; each rotation reported as
     * a note); a rotation to any other key is
     * INVALID: whoever could start the JVM once with {@code rotate-key} would otherwise own the log from there on.
     */
    public static VerificationReport verify(Path directory, VerificationKey key, WitnessRequirements requirements,
                                            Set<String> rotationsAllowed) throws IOException {
        return new Verifier(directory, key, requirements, rotationsAllowed, ReadAhead.defaultThreads(), ReadAhead.BATCH).run();
    }

    /**
     * Also says which of {@code candidates} this log reaches (its first <i>size</i> leaves have that root): a directory of
     * chains checks every checkpoint of an export against all of its chains (see docs/RECEIPTS.md).
     */
    public static VerificationReport verify(Path directory, VerificationKey key, WitnessRequirements requirements,
                                            Set<String> rotationsAllowed, List<ExpectedCheckpoint> candidates) throws IOException {
        Verifier v = new Verifier(directory, key, requirements, rotationsAllowed, ReadAhead.defaultThreads(), ReadAhead.BATCH);
        v.candidates = List.copyOf(candidates);
        return v.run();
    }

    /** The candidates whose root this log's tree has at their size: one fold over the leaves, in size order. */
    private List<ExpectedCheckpoint> reached() {
        List<ExpectedCheckpoint> bySize = new ArrayList<>(candidates);
        bySize.sort((a, b) -> Long.compare(a.size(), b.size()));
        List<ExpectedCheckpoint> reached = new ArrayList<>();
        CompactRange tree = new CompactRange();
        for (ExpectedCheckpoint c : bySize) {
            if (c.size() > leaves.size() || c.size() < 1) {
                continue;
            }
            while (tree.size() < c.size()) {
                tree.append(leaves.get((int) tree.size()));
            }
            if (HEX.formatHex(tree.root()).equals(c.rootHash())) {
                reached.add(c);
            }
        }
        return reached;
    }

    /** With receipts parsed on {@code threads} threads, {@code batch} excerpts at a time (1 thread: in line). */
    static VerificationReport verify(Path directory, VerificationKey key, WitnessRequirements requirements, int threads,
                                     int batch) throws IOException {
        return new Verifier(directory, key, requirements, Set.of(), threads, batch).run();
    }

    /**
     * How the verifier names a key: the SHA-256 of its DER SubjectPublicKeyInfo, in hex, what
     * {@code openssl pkey -pubin -in key.pem -outform DER | sha256sum} prints.
     */
    public static String fingerprint(VerificationKey key) {
        byte[] spki = new byte[12 + key.raw().length];
        System.arraycopy(HEX.parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
        System.arraycopy(key.raw(), 0, spki, 12, key.raw().length);
        return HEX.formatHex(sha256(spki));
    }

    private VerificationReport run() throws IOException {
        List<QueueScanner.CycleSummary> files = List.of();
        try (ReceiptReader reader = ReceiptReader.open(directory); ReadAhead entries = ReadAhead.over(reader, givenKey, threads, batch)) {
            cycleFiles = reader.cycleFiles();
            try {
                files = read(reader, entries);
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                stopped(e);
                return report(0, 0);
            }
        }
        try {
            return checkAll(files);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            stopped(e);
            return report(0, 0);
        }
    }

    /**
     * What the verifier itself could not get past (a bug, or input it does not bound): reported as a problem, with what
     * was found before it, so the auditor gets an INVALID report and exit 1, never a stack trace or a usage error.
     */
    private void stopped(Throwable e) {
        problems.add(new Problem(Kind.INVALID, "the verification", "stopped before the end (" + e
                + "): what it found up to there is reported, the rest is not checked", null));
    }

    private List<QueueScanner.CycleSummary> read(ReceiptReader reader, ReadAhead entries) {
        for (ReadAhead.Parsed p = entries.next(); p != null; p = entries.next()) {
            LogEntry e = p.entry();
            entered(e);
            if (e instanceof LogEntry.StoredReceipt r) {
                receipt(r, p);
            } else if (e instanceof LogEntry.StoredCheckpoint c) {
                checkpoint(c, p.checkpoint());
            } else if (e instanceof LogEntry.StoredCosigned w) {
                witnesses.cosigned(w);
            } else if (e instanceof LogEntry.CycleStart s) {
                cycleStart(s);
            } else if (e instanceof LogEntry.UnreadableEntry u) {
                problems.add(new Problem(Kind.INVALID, "excerpt", u.why(), u.location()));
            } else if (e instanceof LogEntry.QueueDamage d) {
                damage(d);
            }
        }
        return reader.summaries();
    }

    private VerificationReport checkAll(List<QueueScanner.CycleSummary> files) throws IOException {
        if (damaged != null) {
            truncated("it is the last excerpt: a write the writer never finished");
        }
        checkFileEnds(files);
        CompactRange start = prunedStart();
        long covered = checkRoots(start);
        if (covered < leaves.size()) {
            problems.add(new Problem(Kind.UNCHECKPOINTED, range(covered, leaves.size() - 1),
                    "no valid signed checkpoint covers " + (leaves.size() - covered) + " receipt(s)",
                    leafLocations.get((int) covered)));
        }
        long recovered = 0;
        for (RecoveredRange r : recoveries) {
            if (r.recoverySequence() < covered) {
                recovered += r.to() - r.from() + 1;
                problems.add(new Problem(Kind.RECOVERED, range(r.from(), r.to()), "written before the writer stopped without"
                        + " signing them; the restarted writer checked their chain, hashes and MACs, recorded receipt "
                        + r.recoverySequence() + " (" + r.recoveryId() + ") and signed them", r.location()));
            }
        }
        problems.addAll(witnesses.check(leaves, signedCheckpoints.stream().map(SignedCheckpoint::checkpoint).toList(), periodKeys));
        checkPolicies();
        problems.addAll(approvals.problems());
        return report(covered, recovered);
    }

    private VerificationReport report(long covered, long recovered) {
        long valid = intact.get(0, (int) Math.max(0, Math.min(covered, leaves.size()) - base)).cardinality();
        long validCheckpoints = signedCheckpoints.stream().filter(c -> c.checkpoint().size() <= covered).count();
        return new VerificationReport(leaves.size() - base, valid, checkpointExcerpts, validCheckpoints, covered,
                firstUseOfPolicy.size(), recovered, problems, notes, reached(), chain);
    }

    /**
     * A log whose head is gone verifies from its first receipt on only when a prune receipt in it records exactly
     * that cut (first receipt kept, first file kept, last file removed); its frontier then starts the tree. Otherwise
     * what the cut left is reported (missing receipts and files) and the tree starts empty, so the roots fail too.
     */
    private CompactRange prunedStart() {
        if (base == 0) {
            return new CompactRange();
        }
        for (Prune p : prunes) {
            if (p.from() == base && firstStart != null && p.firstFile().equals(firstStart.location().file())
                    && p.lastPruned().equals(firstStart.previousFile())) {
                try {
                    return CompactRange.restore(base, p.frontier());
                } catch (IllegalArgumentException malformed) {
                    break;
                }
            }
        }
        problems.addAll(0, headCut);
        return new CompactRange();
    }

    /** The first excerpt of every cycle file must be its cycle-start excerpt. */
    private void entered(LogEntry e) {
        if (e instanceof LogEntry.QueueDamage) {
            return;
        }
        String file = e.location().file();
        if (file.equals(currentFile)) {
            return;
        }
        currentFile = file;
        if (!(e instanceof LogEntry.CycleStart)) {
            problems.add(new Problem(Kind.INVALID, "cycle file " + file, "does not begin with a cycle-start excerpt"
                    + " (every file the writer starts does): its beginning was removed or it was not written by Warden",
                    e.location()));
        }
    }

    private void cycleStart(LogEntry.CycleStart s) {
        String file = s.location().file();
        String subject = "cycle file " + file;
        if (filesWithStart.contains(file)) {
            problems.add(new Problem(Kind.INVALID, subject, "a second cycle-start excerpt in the file", s.location()));
            return;
        }
        filesWithStart.add(file);
        pendingStart = s;
        if (s.formatVersion() != 2) {
            problems.add(new Problem(Kind.INVALID, subject, "written in queue format " + s.formatVersion()
                    + "; this verifier reads format 2", s.location()));
        }
        int at = cycleFiles.indexOf(file);
        String before = at > 0 ? cycleFiles.get(at - 1) : "";
        if (s.previousFile().equals(before)) {
            return;
        }
        if (s.previousFile().isEmpty()) {
            problems.add(new Problem(Kind.INVALID, subject, "claims to be the log's first file, but " + before
                    + " comes before it", s.location()));
        } else if (!cycleFiles.contains(s.previousFile())) {
            String held = previousSequence + 1 < s.nextSequence()
                    ? "receipts " + (previousSequence + 1) + ".." + (s.nextSequence() - 1) + " were in it"
                    + (before.isEmpty() ? " or in files before it" : "") : "it held no receipts of the chain";
            // Before the first file present: the head is gone, which a recorded prune may explain (see prunedStart).
            if (at == 0) {
                firstStart = s;
            }
            (at == 0 ? headCut : problems).add(new Problem(Kind.MISSING, "cycle file " + s.previousFile(), file + " names it as the file"
                    + " written before it, but it is not there (deleted or renamed): " + held, s.location()));
        } else {
            problems.add(new Problem(Kind.INVALID, subject, "names " + s.previousFile() + " as the file before it, but "
                    + (before.isEmpty() ? "no file" : before) + " comes before it", s.location()));
        }
    }

    private void damage(LogEntry.QueueDamage d) {
        switch (d.damage()) {
            case TORN -> problems.add(new Problem(Kind.TRUNCATED, "cycle file " + d.location().file(), d.why(), d.location()));
            case MISSING_FILE -> (!cycleFiles.isEmpty() && d.location().file().compareTo(cycleFiles.get(0)) < 0 ? headCut : problems)
                    .add(new Problem(Kind.MISSING, "cycle file " + d.location().file(), d.why()));
            case UNEXPECTED_FILE -> problems.add(new Problem(Kind.INVALID, "file " + d.location().file(), d.why()));
            default -> problems.add(new Problem(Kind.INVALID, "cycle file " + d.location().file(), d.why(), d.location()));
        }
    }

    /** Every file holds Chronicle's store header; a rolled file has a successor; only the newest may end without the end-of-file marker. */
    private void checkFileEnds(List<QueueScanner.CycleSummary> files) {
        for (int i = 0; i < files.size(); i++) {
            QueueScanner.CycleSummary f = files.get(i);
            boolean last = i == files.size() - 1;
            if (f.endOfData() == 0) {
                // Chronicle writes its store header when it creates a file: a file without one was emptied or zeroed.
                problems.add(new Problem(Kind.INVALID, "cycle file " + f.file(), "holds no document, not even Chronicle's store"
                        + " header, which Chronicle writes when it creates the file: emptied or zeroed", new ExcerptLocation(f.file(), 0)));
            } else if (last && f.endsRolled()) {
                problems.add(new Problem(Kind.MISSING, "the cycle file after " + f.file(), f.file() + " ends with Chronicle's"
                        + " end-of-file marker (the queue rolled to a newer file), but no newer file is there (deleted or"
                        + " renamed): the receipts written after the roll are gone", new ExcerptLocation(f.file(), f.endOfData())));
            } else if (!last && !f.endsRolled()) {
                problems.add(new Problem(Kind.INVALID, "cycle file " + f.file(), "does not end with Chronicle's end-of-file"
                        + " marker although a newer cycle file follows it", new ExcerptLocation(f.file(), f.endOfData())));
            }
        }
    }

    /** {@code parsed}: what {@code stored.parse()} gave, computed ahead (see {@link ReadAhead}). */
    private void receipt(LogEntry.StoredReceipt stored, ReadAhead.Parsed parsed) {
        if (leaves.full() || receiptExcerpts.size() >= LeafHashes.MAX) {
            if (!full) {
                full = true;
                problems.add(new Problem(Kind.INVALID, "receipt excerpt at " + stored.location(), "the log holds more receipts"
                        + " (counting the places of those missing before its first) than this verifier can check ("
                        + LeafHashes.MAX + ", or " + (LeafHashes.MAX / 32) + " present): it and every receipt after it are"
                        + " not checked", stored.location()));
            }
            return;
        }
        receiptExcerpts.add(stored.location());
        Receipt r = parsed.receipt();
        if (r == null) {
            MalformedReceiptException e = parsed.malformed();
            settleDamaged(null);
            String name = "receipt #" + leaves.size();
            problems.add(new Problem(Kind.INVALID, name, "not a canonical receipt: " + e.getMessage(), stored.location()));
            damaged = new Damaged(stored, name, problems.size() - 1);
            return;
        }
        settleDamaged(r);
        if (pendingStart != null) {
            if (r.sequence() != pendingStart.nextSequence() || !r.previousHash().equals(pendingStart.previousHash())) {
                problems.add(new Problem(Kind.INVALID, "cycle file " + pendingStart.location().file(), "its start names receipt "
                        + pendingStart.nextSequence() + " after " + pendingStart.previousHash() + " as the next, but the next"
                        + " receipt is " + r.sequence() + " after " + r.previousHash(), pendingStart.location()));
            }
            pendingStart = null;
        }
        if (leaves.isEmpty() && previousSequence < 0 && r.sequence() > 0 && r.sequence() < LeafHashes.MAX) {
            // The head is gone: the receipts before it keep their places (as placeholders, counted, not stored), so
            // positions stay sequence numbers, and a first receipt claiming to be the two billionth costs nothing.
            base = r.sequence();
            headCut.add(new Problem(Kind.MISSING, "receipt " + r.sequence() + " (" + r.id() + ")", "receipts 0.." + (base - 1)
                    + " are missing before it", stored.location()));
            leaves.skip((int) base);
            leafLocations.skip((int) base);
            previousSequence = base - 1;
            previousRecordedHash.set(r.previousHash());
        }
        if (isRecovery(r)) {
            recovery(r, stored);
        }
        Prune.of(r).ifPresent(prunes::add);
        if (KeyRotation.is(r)) {
            rotation(r, stored.location());
        } else {
            timeAfterRotation(r);
        }
        int position = leaves.size();
        // The tree is over the hashes as recorded: a signed root then vouches for them, and a receipt is
        // valid when its bytes hash to its recorded, signed hash. One altered receipt stays one problem.
        leaves.add(stored.recordedHash());
        leafLocations.add(stored.location());
        // The receipt is named (Problem.subject) only in a problem: not a string per receipt of millions.
        ExcerptLocation at = stored.location();
        boolean ok = true;
        if (!r.leafHashEquals(stored.recordedHash())) {
            ok = fail(Kind.INVALID, Problem.subject(r), "its bytes do not hash to the hash recorded when it was written (altered after writing)", at);
        }
        if (chain == null) {
            chain = r.chain();
        } else if (!chain.equals(r.chain())) {
            ok = fail(Kind.INVALID, Problem.subject(r), "belongs to chain " + r.chain() + ", not to " + chain, at);
        }
        long expected = previousSequence < 0 ? position : previousSequence + 1;
        if (r.sequence() > expected) {
            ok = fail(Kind.MISSING, Problem.subject(r), "receipts " + expected + ".." + (r.sequence() - 1) + " are missing before it", at);
        } else if (r.sequence() < expected) {
            ok = fail(Kind.INVALID, Problem.subject(r), "out of order: sequence " + r.sequence() + " where " + expected + " was due", at);
        } else if (previousSequence >= 0 && !previousRecordedHash.isFollowedBy(r)) {
            ok = fail(Kind.INVALID, Problem.subject(r), "prev " + r.previousHash() + " is not the hash of receipt " + previousSequence
                    + " (" + previousRecordedHash + ")", at);
        } else if (previousSequence < 0 && r.sequence() == 0 && !r.previousHash().equals(Receipt.GENESIS_PREVIOUS)) {
            ok = fail(Kind.INVALID, Problem.subject(r), "the first receipt of a chain has prev " + Receipt.GENESIS_PREVIOUS, at);
        }
        if (ok) {
            intact.set((int) (position - base));
        }
        if (r.policyVersion() != null && !firstUseOfPolicy.containsKey(r.policyVersion())) {
            firstUseOfPolicy.put(r.policyVersion(), Problem.subject(r));
        }
        previousSequence = r.sequence();
        approvals.receipt(r);
        previousRecordedHash.set(stored.recordedHash());
    }

    private static boolean isRecovery(Receipt r) {
        return "warden".equals(r.surface()) && "recover".equals(r.operation()) && r.rules().contains("warden.recovery");
    }

    /**
     * A recovery receipt continues the chain from its head. The receipt excerpts between the head and
     * it are the ones the writer refused: they leave the chain and the tree, each range reported
     * REJECTED. The range it recovered is reported RECOVERED once a valid checkpoint covers it.
     */
    private void recovery(Receipt r, LogEntry.StoredReceipt stored) {
        String name = "recovery receipt " + r.sequence() + " (" + r.id() + ")";
        long head = r.sequence() - 1;
        Map<String, String> s = r.summary();
        long rejected = parseCount(s.get("rejected"));
        int headLeaf = (int) head;
        boolean headPresent = head < 0 ? r.previousHash().equals(Receipt.GENESIS_PREVIOUS)
                : head < leaves.size() && HEX.formatHex(leaves.get(headLeaf)).equals(r.previousHash())
                && r.previousHash().equals(s.get("head"));
        if (!headPresent || rejected < 0) {
            problems.add(new Problem(Kind.INVALID, name, "its head (receipt " + head + ", " + s.get("head")
                    + ") is not the receipt before it in the chain", stored.location()));
            return;
        }
        int firstAfterHead = head < 0 ? 0 : receiptExcerpts.indexOf(leafLocations.get(headLeaf)) + 1;
        List<ExcerptLocation> after = receiptExcerpts.subList(firstAfterHead, receiptExcerpts.size() - 1);
        if (after.size() != rejected || rejected > 0 && (!after.get(0).toString().equals(s.get("rejectedFrom"))
                || !after.get(after.size() - 1).toString().equals(s.get("rejectedTo")))) {
            problems.add(new Problem(Kind.INVALID, name, "names " + rejected + " refused receipt excerpt(s) "
                    + s.getOrDefault("rejectedFrom", "") + ".." + s.getOrDefault("rejectedTo", "") + ", but " + after.size()
                    + " lie between its head and it", stored.location()));
            return;
        }
        if (rejected > 0) {
            problems.add(new Problem(Kind.REJECTED, rejected + " receipt excerpt(s) " + after.get(0) + ".." + after.get(after.size() - 1),
                    "the restarted writer refused them (" + r.reason() + "): they are not part of the chain or the tree",
                    after.get(0)));
            int keep = headLeaf + 1;
            leaves.subList(keep, leaves.size()).clear();
            leafLocations.subList(keep, leafLocations.size()).clear();
            int from = (int) Math.max(0, keep - base);
            intact.clear(from, Math.max(from, intact.length()));
            damaged = null;
            previousSequence = head;
            previousRecordedHash.set(r.previousHash());
        }
        String recovered = s.getOrDefault("recovered", "");
        if (!recovered.isEmpty()) {
            String[] ends = recovered.split("\\.\\.");
            long from = ends.length == 2 ? parseCount(ends[0]) : -1;
            long to = ends.length == 2 ? parseCount(ends[1]) : -1;
            if (from < 0 || to != head || from > to || !String.valueOf(from).equals(s.get("checkpoint"))) {
                problems.add(new Problem(Kind.INVALID, name, "names recovered receipts " + recovered
                        + ", which do not end at its head or start at the checkpoint it resumed from", stored.location()));
                return;
            }
            recoveries.add(new RecoveredRange(from, to, r.sequence(), r.id(), leafLocations.get((int) from)));
        }
    }

    /** A rotation receipt must name the key of its period as the previous key; its checkpoint then opens the next period. */
    private void rotation(Receipt r, ExcerptLocation at) {
        String name = "key rotation receipt " + r.sequence() + " (" + r.id() + ")";
        java.util.Optional<VerificationKey> next = KeyRotation.newKey(r);
        if (next.isEmpty() || !KeyRotation.previousKey(r).equals(java.util.Optional.of(key))) {
            problems.add(new Problem(Kind.INVALID, name, "does not hand the log over from the key of its period ("
                    + KeyRotation.encode(key) + ") to a well-formed key", at));
            return;
        }
        rotatingTo = next.get();
        rotationSequence = r.sequence();
        rotatedAt = r.time();
        backwardsNoted = false;
        String handOver = "hands the log from key " + fingerprint(key) + " to key " + fingerprint(rotatingTo);
        if (rotationsAllowed.contains(fingerprint(rotatingTo))) {
            notes.add(name + " " + handOver + " (accepted: --allow-rotation-to)");
        } else {
            problems.add(new Problem(Kind.INVALID, name, handOver + ", which was not given: what follows is signed by a key"
                    + " the auditor did not pin (anyone who could start the JVM once with rotate-key can do this); if the"
                    + " rotation is yours, give its key with --allow-rotation-to", at));
        }
    }

    /** After a rotation, a receipt timed before it: a warning, not a problem (a new writer's clock may be behind). */
    private void timeAfterRotation(Receipt r) {
        if (rotatedAt != null && !backwardsNoted && r.time() != null && r.time().isBefore(rotatedAt)) {
            backwardsNoted = true;
            notes.add(Problem.subject(r) + " is timed " + r.time() + ", before the key rotation at " + rotatedAt
                    + " that precedes it: backdated, or the new writer's clock is behind");
        }
    }

    private static long parseCount(String s) {
        return s != null && s.matches("0|[1-9][0-9]{0,17}") ? Long.parseLong(s) : -1;
    }

    /** {@code read}: the note read and checked against the given key, ahead (see {@link ReadAhead}). */
    private void checkpoint(LogEntry.StoredCheckpoint stored, CheckpointRead read) {
        checkpointExcerpts++;
        ExcerptLocation at = stored.location();
        String where = "checkpoint";
        if (read.unreadable() != null) {
            problems.add(new Problem(Kind.INVALID, where, "unreadable note: " + read.unreadable(), at));
            return;
        }
        SignedNote note = read.note();
        Checkpoint checkpoint = read.checkpoint();
        where = "checkpoint " + checkpoint.size() + " (" + checkpoint.origin() + ")";
        boolean ourKey = note.signatures().stream().anyMatch(s -> s.keyHash() == key.keyHash(s.keyName()));
        if (!ourKey) {
            String by = note.signatures().stream().map(s -> s.keyName() + "+" + String.format("%08x", s.keyHash()))
                    .reduce((a, b) -> a + ", " + b).orElse("nobody");
            problems.add(new Problem(Kind.INVALID, where, "not signed by the given public key" + (key == givenKey ? "" : " or the key a recorded rotation handed the log to")
                    + " (signed by " + by + ")", at));
        } else if (note.signatures().stream().noneMatch(s -> read.verifiedBy(s.keyName(), key))) {
            problems.add(new Problem(Kind.INVALID, where, "signature does not verify: the note was altered after signing", at));
        } else {
            signedCheckpoints.add(new SignedCheckpoint(checkpoint, at, leaves.size(), stored.frontier()));
            if (rotatingTo != null && checkpoint.size() > rotationSequence) {
                // The checkpoint covering a rotation must be vouched for by the next key too; after it, only that key signs.
                if (!read.verifiedBy(checkpoint.origin(), rotatingTo)) {
                    problems.add(new Problem(Kind.INVALID, where, "covers the key rotation of receipt " + rotationSequence
                            + " but is not also signed by the new key " + KeyRotation.encode(rotatingTo), at));
                }
                key = rotatingTo;
                periodKeys.add(key);
                rotatingTo = null;
            }
        }
    }

    /** Decides what an unreadable receipt was, now that the next one is known (see docs/RECEIPTS.md, "Restarts"). */
    private void settleDamaged(Receipt next) {
        if (damaged == null) {
            return;
        }
        boolean skippedOnRestart = next != null && (previousSequence < 0
                ? next.sequence() == 0
                : next.sequence() == previousSequence + 1 && previousRecordedHash.isFollowedBy(next));
        if (skippedOnRestart) {
            truncated("the writer restarted after it and continued the chain from the receipt before it");
        } else {
            leaves.add(damaged.stored().recordedHash());
            leafLocations.add(damaged.stored().location());
            previousSequence = -1;
            damaged = null;
        }
    }

    private void truncated(String why) {
        Problem p = problems.get(damaged.problem());
        problems.set(damaged.problem(), new Problem(Kind.TRUNCATED, damaged.name(),
                "cut short, as a crash mid-write leaves an excerpt, and not accepted as a receipt: " + why + " (" + p.why() + ")",
                p.location()));
        damaged = null;
    }

    /**
     * Checks the checkpoints as a sequence in queue order (sizes increasing, each naming the one before it,
     * after the receipts it covers), then folds all leaves once and compares each root and frontier.
     * Returns how many receipts the largest valid checkpoint covers.
     */
    private long checkRoots(CompactRange start) {
        List<SignedCheckpoint> inSequence = new ArrayList<>();
        long lastSize = 0;
        SignedCheckpoint last = null;
        for (SignedCheckpoint c : signedCheckpoints) {
            Checkpoint cp = c.checkpoint();
            String subject = "checkpoint " + cp.size() + " (" + cp.origin() + ")";
            OptionalLong previous = cp.previousSize();
            if (last != null && cp.size() == lastSize && cp.rootHash().equals(last.checkpoint().rootHash())) {
                problems.add(new Problem(Kind.INVALID, subject, "a second copy of the checkpoint at " + last.location(), c.location()));
                continue;
            }
            if (cp.size() <= lastSize && last != null) {
                problems.add(new Problem(Kind.INVALID, subject, "out of order: it follows a checkpoint of " + lastSize
                        + " receipts (" + last.location() + "); sizes only grow", c.location()));
                continue;
            }
            if (previous.isEmpty()) {
                problems.add(new Problem(Kind.INVALID, subject, "has no 'previous <size>' line naming the checkpoint before it",
                        c.location()));
            } else if (last == null && start.size() > 0 && previous.getAsLong() <= start.size()) {
                // the first checkpoint kept after a recorded prune names one in the removed files
            } else if (previous.getAsLong() > lastSize) {
                problems.add(new Problem(Kind.MISSING, "checkpoint " + previous.getAsLong() + " (" + cp.origin() + ")",
                        "named by the checkpoint at " + c.location() + " as the one before it, but not in the queue"
                        + (last == null ? "" : " after " + last.location()) + " (deleted)", c.location()));
            } else if (previous.getAsLong() < lastSize) {
                problems.add(new Problem(Kind.INVALID, subject, "names a checkpoint of " + previous.getAsLong()
                        + " receipts as the one before it, but the one before it covers " + lastSize, c.location()));
            }
            if (cp.size() > c.leavesBefore() && cp.size() <= leaves.size()) {
                problems.add(new Problem(Kind.INVALID, subject, "comes before receipts it covers (only " + c.leavesBefore()
                        + " receipts precede it): moved", c.location()));
            }
            inSequence.add(c);
            last = c;
            lastSize = cp.size();
        }
        CompactRange tree = start;
        long covered = 0;
        List<SignedCheckpoint> valid = new ArrayList<>();
        inSequence.sort((a, b) -> Long.compare(a.checkpoint().size(), b.checkpoint().size()));
        for (SignedCheckpoint c : inSequence) {
            long size = c.checkpoint().size();
            String subject = "checkpoint " + size + " (" + c.checkpoint().origin() + ")";
            if (size > leaves.size()) {
                problems.add(new Problem(Kind.MISSING, subject, "it covers " + size + " receipts but only " + leaves.size()
                        + " are present: " + range(leaves.size(), size - 1) + " were removed", c.location()));
                continue;
            }
            if (size <= start.size() && start.size() > 0) {
                continue; // signed over receipts a recorded prune removed: its root cannot be recomputed, nor needs to be
            }
            while (tree.size() < size) {
                tree.append(leaves.get((int) tree.size()));
            }
            if (!HEX.formatHex(tree.root()).equals(c.checkpoint().rootHash())) {
                problems.add(new Problem(Kind.INVALID, subject, "Merkle root of " + range(0, size - 1)
                        + " does not match the signed root: a receipt it covers was altered, removed, inserted or moved", c.location()));
                continue;
            }
            if (!sameHashes(tree.frontier(), c.frontier())) {
                problems.add(new Problem(Kind.INVALID, subject, "its stored frontier is not the tree of " + range(0, size - 1)
                        + " (a writer resuming from it would sign a wrong tree)", c.location()));
            }
            valid.add(c);
            covered = Math.max(covered, size);
        }
        signedCheckpoints.retainAll(valid);
        return covered;
    }

    private static boolean sameHashes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void checkPolicies() throws IOException {
        PolicyArchive archive = new PolicyArchive(directory);
        for (Map.Entry<String, String> use : firstUseOfPolicy.entrySet()) {
            String version = use.getKey();
            Optional<byte[]> bundle;
            try {
                bundle = archive.read(version);
            } catch (IOException unreadable) {
                problems.add(new Problem(Kind.INVALID, "policy " + version, "the archived bundle cannot be checked: "
                        + unreadable.getMessage()));
                continue;
            }
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

    private boolean fail(Kind kind, String subject, String why, ExcerptLocation at) {
        problems.add(new Problem(kind, subject, why, at));
        return false;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
