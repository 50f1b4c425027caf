package dev.warden.verifier;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.NotAReceiptsDirectoryException;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.VerificationKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Deterministic byte-level mutations of the newest cycle file of a receipts directory (flips by region,
 * truncations, zeroed and flagged headers, deleted, swapped, duplicated and foreign documents, moved
 * hints, removed, emptied and renamed files). For each, the verifier must either exit 1 with a problem that
 * names where (a file offset, the receipts concerned, or the missing or foreign file), or the mutation provably changed no evidence
 * (the readable receipts and checkpoint notes are byte-identical to the original's); it must never throw.
 * Seeds are the mutation's index, so a failure's seed and description reproduce it.
 */
public final class MutationSuite {
    private static final int FLAG_META = 0x4000_0000;
    private static final int FLAG_NOT_COMPLETE = 0x8000_0000;
    private static final List<String> REGIONS = List.of("header", "length", "leaf-hash", "mac", "receipt-bytes",
            "checkpoint-note", "frontier", "cycle-start", "chronicle-metadata", "after-the-data");

    /**
     * How many mutations of each kind.
     *
     * @param flipsPerRegion   byte flips in each region of the excerpt layout
     * @param documentsSampled documents (a fixed sample) each truncated, flagged, deleted, duplicated and preceded by a foreign receipt
     * @param swaps            swaps of two data documents
     * @param hintMoves        moves of Chronicle's write-position hint
     */
    public record Size(int flipsPerRegion, int documentsSampled, int swaps, int hintMoves) {
    }

    /** Per mutation class: how many ran, how many the verifier reported, how many changed no evidence. */
    public record Counts(int mutations, int reported, int unchanged) {
        Counts plus(int reported, int unchanged) {
            return new Counts(mutations + 1, this.reported + reported, this.unchanged + unchanged);
        }
    }

    /** Counts by mutation class, and one line (seed, class, description, what went wrong) per failure. */
    public record Result(Map<String, Counts> counts, List<String> failures) {
        public int total() {
            return counts.values().stream().mapToInt(Counts::mutations).sum();
        }

        public String table() {
            StringBuilder out = new StringBuilder();
            counts.forEach((name, c) -> out.append(name).append(": ").append(c.mutations()).append(" mutations, ")
                    .append(c.reported()).append(" reported, ").append(c.unchanged()).append(" changed no evidence\n"));
            return out.toString();
        }
    }

    /** What was read and checked: the receipts that parse, and the checkpoint notes, in queue order. */
    record Evidence(List<String> receipts, List<String> checkpoints) {
    }

    record Doc(long position, int header, int length) {
        long end() {
            return (position + 4 + length + 3) & ~3L;
        }

        byte kind(byte[] f) {
            return length > 0 ? f[(int) position + 4] : 0;
        }

        boolean meta() {
            return (header & FLAG_META) != 0;
        }
    }

    private record Edited(byte[] bytes, String description) {
    }

    private interface ByteEdit {
        Edited edit(byte[] f, Random r) throws NotApplicable;
    }

    private interface Mutation {
        String name();

        /** Mutates the working copy and says how. */
        String apply(Path dir, Random random) throws Exception;
    }

    private static final class NotApplicable extends Exception {
    }

    private final Path work;
    private final VerificationKey key;
    private final byte[] foreignReceipt;
    private final String fileName;
    private final byte[] file;
    private final List<Doc> docs;
    private final Evidence evidence;

    private MutationSuite(Path work, VerificationKey key, byte[] foreignReceipt, String fileName, byte[] file, Evidence evidence) {
        this.work = work;
        this.key = key;
        this.foreignReceipt = foreignReceipt;
        this.fileName = fileName;
        this.file = file;
        this.docs = documents(file);
        this.evidence = evidence;
    }

    /**
     * Copies {@code receipts} to {@code work}, where the mutations happen (the original is never touched),
     * trimming the newest cycle file to its data and a page of Chronicle's preallocated zeros so that
     * rewriting it thousands of times stays cheap.
     *
     * @param foreignReceipt a receipt excerpt (header included) of another writer, see {@link #foreignReceipt}
     * @throws IllegalStateException when the copy does not verify as all valid to begin with
     */
    public static MutationSuite of(Path receipts, VerificationKey key, byte[] foreignReceipt, Path work) throws Exception {
        copy(receipts, work);
        Path newest = Tamper.queueFiles(work).get(Tamper.queueFiles(work).size() - 1);
        byte[] full = Files.readAllBytes(newest);
        int last = full.length - 1;
        while (last > 0 && full[last] == 0) {
            last--;
        }
        byte[] file = Arrays.copyOf(full, ((last + 4) & ~3) + 4096);
        Files.write(newest, file);
        Outcome baseline = verify(work, key);
        if (baseline.report() == null || baseline.report().exitCode() != VerificationReport.VALID) {
            throw new IllegalStateException("the unmutated copy does not verify: "
                    + (baseline.report() == null ? "no receipts" : baseline.report().problems()));
        }
        return new MutationSuite(work, key, foreignReceipt, newest.getFileName().toString(), file, baseline.evidence());
    }

    /** A receipt excerpt (header included) of another writer, with a key of its own, written under {@code scratch}. */
    public static byte[] foreignReceipt(Path scratch) throws Exception {
        return firstReceiptExcerpt(SampleLog.write(scratch, 3).directory());
    }

    private static byte[] firstReceiptExcerpt(Path receipts) throws IOException {
        byte[] other = Files.readAllBytes(Tamper.queueFiles(receipts).get(0));
        Doc receipt = documents(other).stream().filter(d -> !d.meta() && d.kind(other) == 'R').findFirst().orElseThrow();
        return Arrays.copyOfRange(other, (int) receipt.position(), (int) receipt.end());
    }

    /** The receipts the unmutated copy holds. */
    public int receipts() {
        return evidence.receipts().size();
    }

    /** Runs every mutation of {@code size}, one at a time on the working copy, restoring it in between. */
    public Result run(Size size) throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, Counts> counts = new TreeMap<>();
        long seed = 0;
        for (Mutation m : mutations(size)) {
            seed++;
            restore();
            String description;
            try {
                description = m.apply(work, new Random(seed));
            } catch (NotApplicable skip) {
                continue;
            }
            String failure = "seed " + seed + " " + m.name() + ": " + description + ": ";
            Outcome outcome;
            try {
                outcome = verify(work, key);
            } catch (Throwable t) {
                failures.add(failure + "the verifier threw " + t);
                continue;
            }
            VerificationReport report = outcome.report();
            boolean reported = report != null && report.exitCode() == VerificationReport.INVALID;
            boolean unchanged = !reported && evidence.equals(outcome.evidence());
            counts.put(m.name(), counts.getOrDefault(m.name(), new Counts(0, 0, 0)).plus(reported ? 1 : 0, unchanged ? 1 : 0));
            if (report == null) {
                failures.add(failure + "the verifier found no receipts to verify (exit 2), not a located problem");
            } else if (reported && report.problems().stream().noneMatch(MutationSuite::located)) {
                failures.add(failure + "exit 1 but no problem names where: " + report.problems());
            } else if (!reported && !unchanged) {
                failures.add(failure + "exit " + report.exitCode() + " although the evidence changed: " + report.problems());
            }
        }
        restore();
        return new Result(counts, failures);
    }

    /** A place in the queue (file@offset), the receipts concerned by sequence number, or the file concerned (deleted, renamed). */
    private static boolean located(Problem p) {
        return p.location() != null || p.subject().matches("receipts? [0-9]+.*|(cycle )?file [^ ]+");
    }

    private List<Mutation> mutations(Size size) {
        List<Mutation> all = new ArrayList<>();
        for (String region : REGIONS) {
            for (int i = 0; i < size.flipsPerRegion(); i++) {
                all.add(byteMutation("flip " + region, (f, r) -> flip(f, r, region)));
            }
        }
        List<Doc> sample = new ArrayList<>(docs);
        Collections.shuffle(sample, new Random(42));
        for (Doc d : sample.subList(0, Math.min(size.documentsSampled(), sample.size()))) {
            all.add(byteMutation("truncate at a document", (f, r) -> cut(f, d.position())));
            all.add(byteMutation("truncate inside a document", (f, r) -> cut(f, d.position() + 1 + r.nextInt(Math.max(1, d.length() + 3)))));
            if (!d.meta() || d.position() > 0) {
                all.add(byteMutation("zero a header", (f, r) -> setHeader(f, d, 0)));
                all.add(byteMutation("set header bit 30", (f, r) -> setHeader(f, d, d.header() | FLAG_META)));
                all.add(byteMutation("set header bit 31", (f, r) -> setHeader(f, d, d.header() | FLAG_NOT_COMPLETE)));
                all.add(byteMutation("delete a document", (f, r) -> splice(f, d.position(), d.end(), new byte[0])));
                all.add(byteMutation("duplicate a document", (f, r) -> splice(f, d.end(), d.end(), part(f, d))));
                all.add(byteMutation("insert a foreign receipt", (f, r) -> splice(f, d.position(), d.position(), foreignReceipt)));
            }
        }
        for (int i = 0; i < size.swaps(); i++) {
            all.add(byteMutation("swap two documents", this::swap));
        }
        for (int i = 0; i < size.hintMoves(); i++) {
            all.add(byteMutation("move the write-position hint", this::moveHint));
        }
        all.add(fileMutation("delete the cycle file", q -> {
            Files.delete(q.resolve(fileName));
            return "deleted " + fileName;
        }));
        all.add(fileMutation("empty the cycle file", q -> {
            Files.write(q.resolve(fileName), new byte[0]);
            return "emptied " + fileName;
        }));
        all.add(fileMutation("rename the cycle file", q -> {
            Files.move(q.resolve(fileName), q.resolve(fileName + ".bak"));
            return "renamed " + fileName;
        }));
        return all;
    }

    private interface FileEdit {
        String edit(Path queue) throws IOException;
    }

    private static Mutation fileMutation(String name, FileEdit edit) {
        return new Mutation() {
            public String name() {
                return name;
            }

            public String apply(Path dir, Random r) throws IOException {
                return edit.edit(dir.resolve("queue"));
            }
        };
    }

    private Mutation byteMutation(String name, ByteEdit edit) {
        return new Mutation() {
            public String name() {
                return name;
            }

            public String apply(Path dir, Random r) throws Exception {
                Edited edited = edit.edit(file.clone(), r);
                Files.write(dir.resolve("queue").resolve(fileName), edited.bytes());
                return edited.description();
            }
        };
    }

    private Edited flip(byte[] f, Random r, String region) throws NotApplicable {
        long[] range = region(r, region, f);
        if (range == null || range[1] <= range[0]) {
            throw new NotApplicable();
        }
        int at = (int) (range[0] + r.nextInt((int) (range[1] - range[0])));
        int mask = 1 + r.nextInt(255);
        f[at] ^= (byte) mask;
        return new Edited(f, "xor 0x" + Integer.toHexString(mask) + " at offset 0x" + Integer.toHexString(at));
    }

    /** [from, to) of a random instance of a region, or null when the file has none. */
    private long[] region(Random r, String region, byte[] f) {
        List<Doc> data = docs.stream().filter(d -> !d.meta()).toList();
        Function<Character, Doc> pick = kind -> {
            List<Doc> of = data.stream().filter(d -> d.kind(f) == kind).toList();
            return of.isEmpty() ? null : of.get(r.nextInt(of.size()));
        };
        Doc d;
        switch (region) {
            case "header":
                d = docs.get(r.nextInt(docs.size()));
                return new long[] {d.position(), d.position() + 4};
            case "length":
                d = docs.get(r.nextInt(docs.size()));
                return new long[] {d.position(), d.position() + 2};
            case "leaf-hash":
                d = pick.apply('R');
                return d == null ? null : new long[] {d.position() + 5, d.position() + 37};
            case "mac":
                d = pick.apply('R');
                return d == null ? null : new long[] {d.position() + 37, d.position() + 53};
            case "receipt-bytes":
                d = pick.apply('R');
                return d == null ? null : new long[] {d.position() + 53, d.position() + 4 + d.length()};
            case "checkpoint-note":
                d = pick.apply('C');
                return d == null ? null : new long[] {d.position() + 5, d.position() + 9 + noteLength(f, d)};
            case "frontier":
                d = pick.apply('C');
                return d == null ? null : new long[] {d.position() + 9 + noteLength(f, d), d.position() + 4 + d.length()};
            case "cycle-start":
                d = pick.apply('S');
                return d == null ? null : new long[] {d.position() + 4, d.position() + 4 + d.length()};
            case "chronicle-metadata":
                d = docs.get(0);
                return new long[] {d.position() + 4, d.position() + 4 + d.length()};
            case "after-the-data":
                return new long[] {docs.get(docs.size() - 1).end(), f.length};
            default:
                throw new IllegalArgumentException(region);
        }
    }

    private static int noteLength(byte[] f, Doc checkpoint) {
        return ByteBuffer.wrap(f, (int) checkpoint.position() + 5, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static Edited cut(byte[] f, long at) {
        return new Edited(Arrays.copyOf(f, (int) Math.min(at, f.length)), "cut at 0x" + Long.toHexString(at));
    }

    private static Edited setHeader(byte[] f, Doc d, int header) {
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt((int) d.position(), header);
        return new Edited(f, "header at 0x" + Long.toHexString(d.position()) + " set to 0x" + Integer.toHexString(header));
    }

    private static byte[] part(byte[] f, Doc d) {
        return Arrays.copyOfRange(f, (int) d.position(), (int) d.end());
    }

    private static Edited splice(byte[] f, long from, long to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(f, 0, (int) from);
        out.writeBytes(insert);
        out.write(f, (int) to, f.length - (int) to);
        return new Edited(out.toByteArray(), "bytes 0x" + Long.toHexString(from) + "..0x" + Long.toHexString(to)
                + " replaced by " + insert.length + " bytes");
    }

    private Edited swap(byte[] f, Random r) {
        List<Doc> data = docs.stream().filter(d -> !d.meta()).toList();
        int i = r.nextInt(data.size());
        int j = r.nextInt(data.size());
        if (i == j) {
            j = (j + 1) % data.size();
        }
        Doc a = data.get(Math.min(i, j));
        Doc b = data.get(Math.max(i, j));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(f, 0, (int) a.position());
        out.writeBytes(part(f, b));
        out.write(f, (int) a.end(), (int) (b.position() - a.end()));
        out.writeBytes(part(f, a));
        out.write(f, (int) b.end(), f.length - (int) b.end());
        return new Edited(out.toByteArray(), "documents at 0x" + Long.toHexString(a.position()) + " and 0x"
                + Long.toHexString(b.position()) + " swapped");
    }

    private Edited moveHint(byte[] f, Random r) {
        int at = new String(f, 0, 256, StandardCharsets.ISO_8859_1).indexOf("writePosition") + "writePosition".length();
        while (f[at] != (byte) 0x8D) {
            at++;
        }
        long hint = r.nextBoolean() ? docs.get(r.nextInt(docs.size())).position() + 4 * (1 + r.nextInt(8))
                : r.nextInt(f.length + 8192);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(at + 17, hint);
        return new Edited(f, "write-position hint set to 0x" + Long.toHexString(hint));
    }

    /** Only the newest cycle file changes (or goes away): put it back. */
    private void restore() throws IOException {
        Path q = work.resolve("queue");
        Files.deleteIfExists(q.resolve(fileName + ".bak"));
        Files.write(q.resolve(fileName), file);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** The verifier's report (null: nothing to verify, exit 2) and, when it found nothing wrong, the evidence it accepted. */
    private record Outcome(VerificationReport report, Evidence evidence) {
    }

    private static Outcome verify(Path dir, VerificationKey key) throws Exception {
        VerificationReport report;
        try {
            report = Verifier.verify(dir, key);
        } catch (NotAReceiptsDirectoryException noQueue) {
            return new Outcome(null, null);
        }
        if (report.receipts() == 0 && report.problems().isEmpty()) {
            return new Outcome(null, null);
        }
        if (report.exitCode() == VerificationReport.INVALID) {
            return new Outcome(report, null); // reported: what it changed does not matter
        }
        List<String> receipts = new ArrayList<>();
        List<String> checkpoints = new ArrayList<>();
        for (LogEntry e : ReceiptReader.readAll(dir)) {
            if (e instanceof LogEntry.StoredReceipt r) {
                try {
                    receipts.add(new String(r.parse().canonicalBytes(), StandardCharsets.UTF_8));
                } catch (Exception unreadable) {
                    // not exported
                }
            } else if (e instanceof LogEntry.StoredCheckpoint c) {
                checkpoints.add(c.note());
            }
        }
        return new Outcome(report, new Evidence(receipts, checkpoints));
    }

    private static List<Doc> documents(byte[] f) {
        List<Doc> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        long p = 0;
        while (p + 4 <= f.length) {
            int h = b.getInt((int) p);
            if (h == 0) {
                break;
            }
            Doc d = new Doc(p, h, h & 0x3FFF_FFFF);
            out.add(d);
            p = d.end();
        }
        return out;
    }
}
