package dev.warden.verifier;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.VerificationKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of byte-level mutations of a real queue file (flips by region, truncations, zeroed and
 * flagged headers, deleted, swapped, duplicated and foreign documents, moved hints, removed and renamed
 * files): for each, the verifier either exits non-zero or the mutation provably changed no evidence
 * (the readable receipts and the checkpoint notes are byte-identical to the original's), and it never
 * throws. Deterministic: a failure names the mutation's seed and description.
 */
class MutationSuiteTest {
    private static final int FLIPS_PER_REGION = 150;
    /** Structural mutations of this many documents (a fixed sample, so the suite stays within CI time). */
    private static final int DOCUMENTS_SAMPLED = 150;

    @TempDir
    static Path tmp;
    static Path original;
    static VerificationKey key;
    static String fileName;
    static byte[] file;
    static List<Doc> docs;
    static Evidence evidence;
    static byte[] foreignReceipt;

    record Doc(long position, int header, int length) {
        long end() {
            return (position + 4 + length + 3) & ~3L;
        }

        byte kind(byte[] f) {
            return length > 0 ? f[(int) position + 4] : 0;
        }

        boolean meta() {
            return (header & 0x4000_0000) != 0;
        }
    }

    record Evidence(List<String> receipts, List<String> checkpoints) {
    }

    record Outcome(int exitCode, Evidence evidence) {
    }

    @BeforeAll
    static void writeRealLog() throws Exception {
        original = tmp.resolve("original");
        Path privateKey = tmp.resolve("key.pem");
        Ed25519Keys.generate(privateKey, tmp.resolve("key.pub.pem"));
        key = Ed25519Keys.readPublic(tmp.resolve("key.pub.pem"));
        ReceiptLogOptions options = ReceiptLogOptions.defaults(original).withOrigin("warden/test").withPrivateKey(privateKey)
                .withCheckpoints(Integer.MAX_VALUE, Duration.ofDays(1));
        int n = 0;
        for (int run = 0; run < 2; run++) { // a restart in the middle
            try (ReceiptLog log = ReceiptLog.open(options)) {
                log.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
                for (int i = 0; i < 150; i++, n++) {
                    log.append(SampleLog.draft(n));
                    if (n % 40 == 39) {
                        log.checkpoint();
                    }
                }
            }
        }
        Path queueFile = Tamper.queueFiles(original).get(0);
        fileName = queueFile.getFileName().toString();
        byte[] full = Files.readAllBytes(queueFile);
        int last = full.length - 1;
        while (last > 0 && full[last] == 0) {
            last--;
        }
        file = Arrays.copyOf(full, ((last + 4) & ~3) + 4096); // the data and a page of the zeros Chronicle preallocates
        Files.write(queueFile, file);
        docs = documents(file);
        Outcome baseline = verify(original);
        assertThat(baseline.exitCode()).isZero();
        evidence = baseline.evidence();
        assertThat(evidence.receipts()).hasSize(300);

        Path foreign = tmp.resolve("foreign");
        SampleLog.write(foreign, 3);
        byte[] other = Files.readAllBytes(Tamper.queueFiles(foreign).get(0));
        Doc receipt = documents(other).stream().filter(d -> !d.meta() && d.kind(other) == 'R').findFirst().orElseThrow();
        foreignReceipt = Arrays.copyOfRange(other, (int) receipt.position(), (int) receipt.end());
    }

    @Test
    void everyMutationIsReportedOrChangesNoEvidence() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, int[]> counts = new TreeMap<>();
        long seed = 0;
        Path dir = tmp.resolve("m");
        copy(original, dir);
        for (Mutation m : mutations()) {
            seed++;
            Random random = new Random(seed);
            restore(dir);
            String description;
            try {
                description = m.apply(dir, random);
            } catch (NotApplicable skip) {
                continue;
            }
            Outcome outcome;
            try {
                outcome = verify(dir);
            } catch (Throwable t) {
                failures.add("seed " + seed + " " + m.name() + ": " + description + ": the verifier threw " + t);
                continue;
            }
            int[] c = counts.computeIfAbsent(m.name(), k -> new int[3]);
            c[0]++;
            if (outcome.exitCode() != 0) {
                c[1]++;
            } else if (outcome.evidence().equals(evidence)) {
                c[2]++;
            } else {
                failures.add("seed " + seed + " " + m.name() + ": " + description + ": exit 0 although the evidence changed");
            }
        }
        counts.forEach((k, v) -> System.out.println(k + ": " + v[0] + " mutations, " + v[1] + " reported, " + v[2] + " changed no evidence"));
        assertThat(failures).isEmpty();
        assertThat(counts.values().stream().mapToInt(v -> v[0]).sum()).isGreaterThan(2500);
    }

    interface Mutation {
        String name();

        String apply(Path dir, Random random) throws Exception;
    }

    static final class NotApplicable extends Exception {
    }

    private static List<Mutation> mutations() {
        List<Mutation> all = new ArrayList<>();
        for (String region : List.of("header", "length", "leaf-hash", "mac", "receipt-bytes", "checkpoint-note", "frontier",
                "cycle-start", "chronicle-metadata", "after-the-data")) {
            for (int i = 0; i < FLIPS_PER_REGION; i++) {
                all.add(byteMutation("flip " + region, (f, r) -> flip(f, r, region)));
            }
        }
        List<Doc> sample = new ArrayList<>(docs);
        java.util.Collections.shuffle(sample, new Random(42));
        for (Doc d : sample.subList(0, Math.min(DOCUMENTS_SAMPLED, sample.size()))) {
            all.add(byteMutation("truncate at a document", (f, r) -> cut(f, d.position())));
            all.add(byteMutation("truncate inside a document", (f, r) -> cut(f, d.position() + 1 + r.nextInt(Math.max(1, d.length() + 3)))));
            if (!d.meta() || d.position() > 0) {
                all.add(byteMutation("zero a header", (f, r) -> setHeader(f, d, 0)));
                all.add(byteMutation("set header bit 30", (f, r) -> setHeader(f, d, d.header() | 0x4000_0000)));
                all.add(byteMutation("set header bit 31", (f, r) -> setHeader(f, d, d.header() | 0x8000_0000)));
                all.add(byteMutation("delete a document", (f, r) -> splice(f, d.position(), d.end(), new byte[0])));
                all.add(byteMutation("duplicate a document", (f, r) -> splice(f, d.end(), d.end(), part(f, d))));
                all.add(byteMutation("insert a foreign receipt", (f, r) -> splice(f, d.position(), d.position(), foreignReceipt)));
            }
        }
        for (int i = 0; i < 300; i++) {
            all.add(byteMutation("swap two documents", MutationSuiteTest::swap));
        }
        for (int i = 0; i < 100; i++) {
            all.add(byteMutation("move the write-position hint", (f, r) -> moveHint(f, r)));
        }
        all.add(new Mutation() {
            public String name() {
                return "delete the cycle file";
            }

            public String apply(Path dir, Random r) throws Exception {
                Files.delete(dir.resolve("queue").resolve(fileName));
                return "deleted " + fileName;
            }
        });
        all.add(new Mutation() {
            public String name() {
                return "rename the cycle file";
            }

            public String apply(Path dir, Random r) throws Exception {
                Path q = dir.resolve("queue");
                Files.move(q.resolve(fileName), q.resolve(fileName + ".bak"));
                return "renamed " + fileName;
            }
        });
        return all;
    }

    interface ByteEdit {
        byte[] edit(byte[] f, Random r) throws NotApplicable;
    }

    private static Mutation byteMutation(String name, ByteEdit edit) {
        return new Mutation() {
            public String name() {
                return name;
            }

            public String apply(Path dir, Random r) throws Exception {
                byte[] mutated = edit.edit(file.clone(), r);
                Files.write(dir.resolve("queue").resolve(fileName), mutated);
                return lastDescription.get();
            }
        };
    }

    private static final ThreadLocal<String> lastDescription = new ThreadLocal<>();

    private static byte[] described(byte[] f, String what) {
        lastDescription.set(what);
        return f;
    }

    private static byte[] flip(byte[] f, Random r, String region) throws NotApplicable {
        long[] range = region(r, region, f);
        if (range == null || range[1] <= range[0]) {
            throw new NotApplicable();
        }
        int at = (int) (range[0] + r.nextInt((int) (range[1] - range[0])));
        int mask = 1 + r.nextInt(255);
        f[at] ^= (byte) mask;
        return described(f, "xor 0x" + Integer.toHexString(mask) + " at offset 0x" + Integer.toHexString(at));
    }

    /** [from, to) of a random instance of a region. */
    private static long[] region(Random r, String region, byte[] f) {
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
                return new long[] {d.position() + 5, d.position() + 37};
            case "mac":
                d = pick.apply('R');
                return new long[] {d.position() + 37, d.position() + 53};
            case "receipt-bytes":
                d = pick.apply('R');
                return new long[] {d.position() + 53, d.position() + 4 + d.length()};
            case "checkpoint-note": {
                d = pick.apply('C');
                int noteLength = ByteBuffer.wrap(f, (int) d.position() + 5, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                return new long[] {d.position() + 5, d.position() + 9 + noteLength};
            }
            case "frontier": {
                d = pick.apply('C');
                int noteLength = ByteBuffer.wrap(f, (int) d.position() + 5, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                return new long[] {d.position() + 9 + noteLength, d.position() + 4 + d.length()};
            }
            case "cycle-start":
                d = pick.apply('S');
                return d == null ? null : new long[] {d.position() + 4, d.position() + 4 + d.length()};
            case "chronicle-metadata":
                d = docs.get(0);
                return new long[] {d.position() + 4, d.position() + 4 + d.length()};
            case "after-the-data": {
                long end = docs.get(docs.size() - 1).end();
                return new long[] {end, f.length};
            }
            default:
                throw new IllegalArgumentException(region);
        }
    }

    private static byte[] cut(byte[] f, long at) {
        return described(Arrays.copyOf(f, (int) Math.min(at, f.length)), "cut at 0x" + Long.toHexString(at));
    }

    private static byte[] setHeader(byte[] f, Doc d, int header) {
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt((int) d.position(), header);
        return described(f, "header at 0x" + Long.toHexString(d.position()) + " set to 0x" + Integer.toHexString(header));
    }

    private static byte[] part(byte[] f, Doc d) {
        return Arrays.copyOfRange(f, (int) d.position(), (int) d.end());
    }

    private static byte[] splice(byte[] f, long from, long to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(f, 0, (int) from);
        out.writeBytes(insert);
        out.write(f, (int) to, f.length - (int) to);
        return described(out.toByteArray(), "bytes 0x" + Long.toHexString(from) + "..0x" + Long.toHexString(to)
                + " replaced by " + insert.length + " bytes");
    }

    private static byte[] swap(byte[] f, Random r) {
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
        return described(out.toByteArray(), "documents at 0x" + Long.toHexString(a.position()) + " and 0x"
                + Long.toHexString(b.position()) + " swapped");
    }

    private static byte[] moveHint(byte[] f, Random r) {
        int at = new String(f, 0, 256, StandardCharsets.ISO_8859_1).indexOf("writePosition") + "writePosition".length();
        while (f[at] != (byte) 0x8D) {
            at++;
        }
        long hint = r.nextBoolean() ? docs.get(r.nextInt(docs.size())).position() + 4 * (1 + r.nextInt(8))
                : r.nextInt(f.length + 8192);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(at + 17, hint);
        return described(f, "write-position hint set to 0x" + Long.toHexString(hint));
    }

    /** Only the queue file changes (or goes away): put the original back. */
    private static void restore(Path dir) throws Exception {
        Path q = dir.resolve("queue");
        Files.deleteIfExists(q.resolve(fileName + ".bak"));
        Files.write(q.resolve(fileName), file);
    }

    private static void copy(Path from, Path dir) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = dir.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static Outcome verify(Path dir) throws Exception {
        VerificationReport report;
        try {
            report = Verifier.verify(dir, key);
        } catch (dev.warden.receipts.NotAReceiptsDirectoryException noQueue) {
            return new Outcome(2, null);
        }
        int exit = report.receipts() == 0 && report.problems().isEmpty() ? 2 : report.exitCode();
        if (exit != 0) {
            return new Outcome(exit, null); // reported: what it changed does not matter
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
        return new Outcome(exit, new Evidence(receipts, checkpoints));
    }

    static List<Doc> documents(byte[] f) {
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
