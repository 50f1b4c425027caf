package dev.warden.verifier;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.ExcerptLocation;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.VerificationKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receipts parsed ahead on several threads, in small batches, give the report parsing in line gives: the same
 * problems, about the same receipts, at the same places, in the same order.
 */
class ParallelVerificationTest {
    @TempDir
    Path tmp;

    @Test
    void tamperedReceiptsDeepInsideBatchesAreReportedAsParsingInLineReportsThem() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir, 40);
        Tamper.editBytes(dir, "8000-000000000023", "8000-000000000029"); // altered after writing
        Tamper.rewrite(dir, entries -> {
            entries.remove(VerifyTamperTest.receiptEntry(entries, 17)); // deleted
            LogEntry.StoredReceipt r = (LogEntry.StoredReceipt) VerifyTamperTest.receiptEntry(entries, 30); // receipt 31 now
            String spaced = new String(r.bytes(), StandardCharsets.UTF_8).replace(",\"v\":1}", ", \"v\":1}");
            entries.set(entries.indexOf(r), new LogEntry.StoredReceipt(r.location(), r.recordedHash(), r.mac(),
                    spaced.getBytes(StandardCharsets.UTF_8))); // not canonical
            return entries;
        });
        VerificationKey key = Ed25519Keys.readPublic(log.publicKey());
        List<LogEntry.StoredReceipt> stored = ReceiptReader.readAll(dir).stream()
                .filter(e -> e instanceof LogEntry.StoredReceipt).map(LogEntry.StoredReceipt.class::cast).toList();

        VerificationReport inLine = Verifier.verify(dir, key, WitnessRequirements.NONE, 1, ReadAhead.BATCH);

        assertThat(problem(inLine, "INVALID: receipt 23 (01935f3c-7b2a-7000-8000-000000000029): its bytes do not hash"))
                .isEqualTo(stored.get(22).location());
        assertThat(problem(inLine, "MISSING: receipt 18 (" + log.receipt(18).id() + "): receipts 17..17 are missing"))
                .isEqualTo(stored.get(17).location());
        assertThat(problem(inLine, "INVALID: receipt #30: not a canonical receipt: "))
                .isEqualTo(stored.get(30).location());
        for (int threads : new int[] {2, 3, 4}) {
            for (int batch : new int[] {1, 3, 7, 64}) {
                assertThat(Verifier.verify(dir, key, WitnessRequirements.NONE, threads, batch))
                        .as("%d threads, batches of %d", threads, batch).isEqualTo(inLine);
            }
        }
    }

    @Test
    void anUntouchedLogVerifiesTheSameOnAnyNumberOfThreads() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir, 25);
        VerificationKey key = Ed25519Keys.readPublic(log.publicKey());

        VerificationReport inLine = Verifier.verify(dir, key, WitnessRequirements.NONE, 1, ReadAhead.BATCH);

        assertThat(inLine.allValid()).as(inLine.summary()).isTrue();
        assertThat(inLine.receipts()).isEqualTo(25);
        assertThat(Verifier.verify(dir, key, WitnessRequirements.NONE, 4, 2)).isEqualTo(inLine);
    }

    /** Where the one problem whose line starts with {@code start} is. */
    private static ExcerptLocation problem(VerificationReport report, String start) {
        List<Problem> found = report.problems().stream().filter(p -> p.line().startsWith(start)).toList();
        assertThat(found).as(report.problems().stream().map(Problem::line).toList().toString()).hasSize(1);
        return found.get(0).location();
    }
}
