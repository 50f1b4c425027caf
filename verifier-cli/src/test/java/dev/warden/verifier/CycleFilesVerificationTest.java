package dev.warden.verifier;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.QueueScanner;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log the queue rolled twice: receipts 0..3 on the first day, 4..9 on the second (the writer restarted after
 * receipt 6), 10..12 on the third, in three cycle files; then cycle files deleted, renamed and swapped.
 */
class CycleFilesVerificationTest {
    private static final String DAY1 = "20261122F.cq4";
    private static final String DAY2 = "20261123F.cq4";
    private static final String DAY3 = "20261124F.cq4";

    @TempDir
    Path tmp;
    Path dir;
    Path queue;
    Path publicKey;
    final List<Receipt> receipts = new ArrayList<>();
    /** The size of the first day's file once the writer, still open, had rolled to the second day. */
    long day1SizeAfterTheRoll;
    /** ... and of the second day's, the one it appended to (Chronicle maps and extends it to 80 MiB). */
    long day2SizeWhileAppended;

    @BeforeEach
    void writeOverThreeDays() throws Exception {
        dir = tmp.resolve("receipts");
        queue = dir.resolve("queue");
        SetClock clock = new SetClock(SampleLog.T0);
        ReceiptLogOptions options = ReceiptLogOptions.defaults(dir).withOrigin("warden/test")
                .withCheckpoints(Integer.MAX_VALUE, Duration.ofDays(1)).withRollClock(clock);
        try (ReceiptLog log = ReceiptLog.open(options)) {
            publicKey = log.publicKeyFile();
            log.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
            append(log, 0, 4);
            log.checkpoint();
            clock.advance(Duration.ofDays(1));
            append(log, 4, 7);
            day1SizeAfterTheRoll = awaitSizeBelow(queue.resolve(DAY1), 1L << 20);
            day2SizeWhileAppended = Files.size(queue.resolve(DAY2));
        }
        try (ReceiptLog log = ReceiptLog.open(options)) {
            append(log, 7, 10);
            clock.advance(Duration.ofDays(1));
            append(log, 10, 13);
        }
    }

    private void append(ReceiptLog log, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            receipts.add(log.append(SampleLog.draft(i)));
        }
    }

    @Test
    void anUntouchedLogOfThreeCycleFilesVerifiesAndEachFileNamesTheOneBeforeIt() throws Exception {
        Cli cli = Cli.run("verify", dir, "--public-key", publicKey);

        assertThat(cli.exitCode()).as(cli.out()).isZero();
        assertThat(cli.out()).startsWith("13/13 receipts valid, ").endsWith(" 13 receipts checkpointed, 1 policy versions, 0 problems\n");
        assertThat(receiptsByFile()).isEqualTo(Map.of(DAY1, List.of(0L, 1L, 2L, 3L), DAY2, List.of(4L, 5L, 6L, 7L, 8L, 9L),
                DAY3, List.of(10L, 11L, 12L)));

        List<LogEntry> entries = ReceiptReader.readAll(dir);
        assertThat(firstEntryOf(entries, DAY1)).isInstanceOfSatisfying(LogEntry.CycleStart.class, s -> {
            assertThat(s.previousFile()).isEmpty();
            assertThat(s.nextSequence()).isZero();
            assertThat(s.previousHash()).isEqualTo(Receipt.GENESIS_PREVIOUS);
        });
        assertThat(firstEntryOf(entries, DAY2)).isInstanceOfSatisfying(LogEntry.CycleStart.class, s -> {
            assertThat(s.previousFile()).isEqualTo(DAY1);
            assertThat(s.nextSequence()).isEqualTo(4);
            assertThat(s.previousHash()).isEqualTo(receipts.get(3).hash());
        });
        assertThat(firstEntryOf(entries, DAY3)).isInstanceOfSatisfying(LogEntry.CycleStart.class, s -> {
            assertThat(s.previousFile()).isEqualTo(DAY2);
            assertThat(s.nextSequence()).isEqualTo(10);
            assertThat(s.previousHash()).isEqualTo(receipts.get(9).hash());
        });
        assertThat(entries).filteredOn(LogEntry.CycleStart.class::isInstance).hasSize(3);

        try (QueueScanner scan = QueueScanner.open(dir)) {
            while (scan.next() != null) {
                // read every file to its end
            }
            assertThat(scan.summaries()).extracting(QueueScanner.CycleSummary::file).containsExactly(DAY1, DAY2, DAY3);
            assertThat(scan.summaries()).extracting(QueueScanner.CycleSummary::endsRolled).containsExactly(true, true, false);
            assertThat(scan.summaries()).allSatisfy(s -> assertThat(s.damage()).isEmpty());
        }
        assertThat(day2SizeWhileAppended).isEqualTo(80L << 20);
        assertThat(day1SizeAfterTheRoll).as(DAY1 + " trimmed from Chronicle's 80 MiB while the writer appends to "
                + DAY2).isLessThan(1L << 20);
        for (String file : List.of(DAY1, DAY2, DAY3)) {
            assertThat(Files.size(queue.resolve(file))).as(file + " trimmed from Chronicle's 80 MiB").isLessThan(1L << 20);
        }
    }

    @Test
    void theMiddleFileDeletedIsNamedWithTheReceiptsItHeld() throws Exception {
        Files.delete(queue.resolve(DAY2));

        Cli cli = Cli.run("verify", dir, "--public-key", publicKey);

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("MISSING: cycle file " + DAY2 + ": " + DAY3 + " names it as the file written before it,"
                + " but it is not there (deleted or renamed): receipts 4..9 were in it (at " + DAY3 + "@0x");
    }

    @Test
    void theFirstFileDeletedIsNamedWithTheReceiptsItHeld() throws Exception {
        Files.delete(queue.resolve(DAY1));

        Cli cli = Cli.run("verify", dir, "--public-key", publicKey);

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).doesNotContain("holds no receipts")
                .contains("MISSING: cycle file " + DAY1 + ": " + DAY2 + " names it as the file written before it,"
                        + " but it is not there (deleted or renamed): receipts 0..3 were in it or in files before it");
    }

    @Test
    void theLastFileDeletedIsImpliedByTheEndOfFileMarkerBeforeIt() throws Exception {
        Files.delete(queue.resolve(DAY3));

        Cli cli = Cli.run("verify", dir, "--public-key", publicKey);

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("MISSING: the cycle file after " + DAY2 + ": " + DAY2 + " ends with Chronicle's"
                + " end-of-file marker (the queue rolled to a newer file), but no newer file is there");
    }

    @Test
    void theLastFileRenamedIsReportedMissingAndTheRenamedFileForeign() throws Exception {
        Files.move(queue.resolve(DAY3), queue.resolve("old-" + DAY3));

        Cli cli = Cli.run("verify", dir, "--public-key", publicKey);

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("MISSING: the cycle file after " + DAY2 + ": ")
                .contains("INVALID: file old-" + DAY3 + ": not a cycle file");
    }

    @Test
    void twoFilesSwappedByRenamingAreReported() throws Exception {
        Files.move(queue.resolve(DAY1), queue.resolve("swap"));
        Files.move(queue.resolve(DAY2), queue.resolve(DAY1));
        Files.move(queue.resolve("swap"), queue.resolve(DAY2));

        Cli cli = Cli.run("verify", dir, "--public-key", publicKey);

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: cycle file " + DAY1 + ": names " + DAY1 + " as the file before it, but no file"
                + " comes before it")
                .contains("INVALID: cycle file " + DAY2 + ": claims to be the log's first file, but " + DAY1 + " comes before it");
    }

    private Map<String, List<Long>> receiptsByFile() throws Exception {
        Map<String, List<Long>> byFile = new TreeMap<>();
        for (LogEntry e : ReceiptReader.readAll(dir)) {
            if (e instanceof LogEntry.StoredReceipt r) {
                byFile.computeIfAbsent(r.location().file(), f -> new ArrayList<>()).add(r.parse().sequence());
            }
        }
        return byFile;
    }

    /** The signer thread trims a file the queue rolled away from after the checkpoint the roll asks for. */
    private static long awaitSizeBelow(Path file, long limit) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.size(file) >= limit && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        return Files.size(file);
    }

    private static LogEntry firstEntryOf(List<LogEntry> entries, String file) {
        return entries.stream().filter(e -> e.location().file().equals(file)).findFirst().orElseThrow();
    }
}
