package dev.warden.verifier;

import dev.warden.receipts.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Whoever can write the receipts directory cannot make the auditor's verifier crash, hang or fill its memory: every
 * such input ends in an INVALID report and exit 1, in seconds (found by a fifth review).
 */
class BoundedInputTest {
    private static final Duration QUICKLY = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aFirstReceiptClaimingToBeTheTwoBillionthCostsNoMemory() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("log"), 4);
        Tamper.rewrite(log.directory(), entries -> {
            List<LogEntry> out = new ArrayList<>();
            for (LogEntry e : entries) {
                if (e instanceof LogEntry.StoredReceipt r && new String(r.bytes(), StandardCharsets.UTF_8).contains("\"seq\":0,")) {
                    byte[] bytes = new String(r.bytes(), StandardCharsets.UTF_8).replace("\"seq\":0,", "\"seq\":2147483000,")
                            .getBytes(StandardCharsets.UTF_8);
                    out.add(new LogEntry.StoredReceipt(r.location(), dev.warden.receipts.TreeHashes.leaf(bytes), r.mac(), bytes));
                } else {
                    out.add(e);
                }
            }
            return out;
        });

        Cli cli = assertTimeoutPreemptively(QUICKLY, () -> Cli.run("verify", log.directory(), "--public-key", log.publicKey()));

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("MISSING: receipt 2147483000").contains("receipts 0..2147482999 are missing before it")
                .contains("INVALID: receipt 1 ");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void aCycleFileGrownToGigabytesOfHolesIsReportedNotRead() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("log"), 4);
        try (RandomAccessFile f = new RandomAccessFile(Tamper.queueFiles(log.directory()).get(0).toFile(), "rw")) {
            f.setLength(64L << 30); // sparse: no disk, but a minute a gigabyte to read
        }

        Cli cli = assertTimeoutPreemptively(QUICKLY, () -> Cli.run("verify", log.directory(), "--public-key", log.publicKey()));

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("bytes of zeros between or after its documents").contains("the rest is not read");
    }

    @Test
    void aDocumentLongerThanChronicleWritesIsReportedNotRead() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("log"), 4);
        Path file = Tamper.queueFiles(log.directory()).get(0);
        long end = endOfData(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(end + (2L << 30));
            for (int i = 0; i < 4; i++) { // four 1 GiB 'R' documents, sparse
                long at = end + i * ((1L << 30) / 2);
                f.seek(at);
                f.writeInt(Integer.reverseBytes((1 << 30) / 2 - 8));
                f.write('R');
            }
        }

        Cli cli = assertTimeoutPreemptively(QUICKLY, () -> Cli.run("verify", log.directory(), "--public-key", log.publicKey()));

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("more than Chronicle writes with Warden's block size (16777216): not read");
    }

    @Test
    void aFifoOrDeviceInPlaceOfChroniclesMetadataFileIsReported() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("log"), 4);
        Path table = log.directory().resolve("queue").resolve("metadata.cq4t");
        Files.delete(table);
        fifo(table);

        Cli fifo = assertTimeoutPreemptively(QUICKLY, () -> Cli.run("verify", log.directory(), "--public-key", log.publicKey()));
        Files.delete(table);
        Files.createSymbolicLink(table, Path.of("/dev/zero"));
        Cli zero = assertTimeoutPreemptively(QUICKLY, () -> Cli.run("verify", log.directory(), "--public-key", log.publicKey()));

        assertThat(fifo.exitCode()).isEqualTo(1);
        assertThat(fifo.out()).contains("metadata.cq4t is not a regular file (a FIFO, device or socket): not read");
        assertThat(zero.exitCode()).isEqualTo(1);
        assertThat(zero.out()).contains("metadata.cq4t is not a regular file");
    }

    @Test
    void aFifoInPlaceOfAnArchivedPolicyIsReported() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("log"), 4);
        Path bundle = log.directory().resolve("policies").resolve(SampleLog.POLICY_VERSION + ".bundle");
        Files.delete(bundle);
        fifo(bundle);

        Cli cli = assertTimeoutPreemptively(QUICKLY, () -> Cli.run("verify", log.directory(), "--public-key", log.publicKey()));

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: policy " + SampleLog.POLICY_VERSION).contains("is not a regular file");
    }

    private static void fifo(Path at) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", at.toString()).inheritIO().start().waitFor()).isZero();
    }

    /** Where the data Chronicle's readers see ends: the first zero header after the documents. */
    private static long endOfData(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long p = 0;
            while (true) {
                f.seek(p);
                int header = Integer.reverseBytes(f.readInt());
                if (header == 0) {
                    return p;
                }
                p = (p + 4 + (header & 0x3FFF_FFFF) + 3) & ~3L;
            }
        }
    }
}
