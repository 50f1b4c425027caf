package dev.warden.receipts;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Cycle files sized to what is written, and still read and appended to by Chronicle. */
class CycleFilesTest {
    private static final long CHRONICLE_MAPPING = 80L << 20; // a 64 MiB block and 16 MiB of overlap

    @TempDir
    Path dir;

    @Test
    void closingTheLogTrimsItsCycleFileAndAReopenedLogContinuesTheChainInIt() throws Exception {
        List<Receipt> written = new ArrayList<>();
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            for (int i = 0; i < 1000; i++) {
                written.add(log.append(Drafts.sql(i)));
            }
            assertThat(cycleFiles()).allMatch(f -> size(f) == CHRONICLE_MAPPING);
        }
        long data = written.stream().mapToLong(r -> r.canonicalBytes().length + 37L).sum();
        assertThat(cycleFiles()).hasSize(1).allMatch(f -> size(f) >= data && size(f) <= data + (256 << 10));

        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            for (int i = 1000; i < 1100; i++) {
                written.add(log.append(Drafts.sql(i)));
            }
        }
        assertThat(ReceiptReader.receipts(dir)).containsExactlyElementsOf(written);
        assertThat(cycleFiles()).allMatch(f -> size(f) < data + (256 << 10) + 100 * 1000);
    }

    @Test
    void aRolledFileIsCutToItsDataAndChronicleStillReadsAndAppendsToTheQueue() throws Exception {
        ChronicleSettings.initialise();
        SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        Path queueDir = dir.resolve("queue");
        try (ChronicleQueue queue = ChronicleQueue.singleBuilder(queueDir).rollCycle(RollCycles.FAST_DAILY).timeProvider(clock).build()) {
            ExcerptAppender appender = queue.createAppender();
            append(appender, 2000);
            clock.advanceMillis(TimeUnit.DAYS.toMillis(1));
            append(appender, 10);
        }
        Path rolled = cycleFiles(queueDir).get(0);
        long before = size(rolled);
        long cut = CycleFiles.trim(rolled);

        assertThat(before).isEqualTo(CHRONICLE_MAPPING);
        assertThat(size(rolled)).isEqualTo(before - cut).isBetween(2000L * 700, 2000L * 700 + (256 << 10));
        assertThat(CycleFiles.trim(rolled)).as("idempotent").isZero();
        try (ChronicleQueue queue = ChronicleQueue.singleBuilder(queueDir).rollCycle(RollCycles.FAST_DAILY).timeProvider(clock)
                .readOnly(true).build()) {
            assertThat(count(queue.createTailer())).isEqualTo(2010);
        }
        try (ChronicleQueue queue = ChronicleQueue.singleBuilder(queueDir).rollCycle(RollCycles.FAST_DAILY).timeProvider(clock).build()) {
            append(queue.createAppender(), 5);
            assertThat(count(queue.createTailer())).isEqualTo(2015);
        }
    }

    @Test
    void nothingThatIsNotZeroIsEverCut() throws Exception {
        Path file = dir.resolve("20260101F.cq4");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(CHRONICLE_MAPPING);
            raf.seek(1000);
            raf.write(1);
            raf.seek(50L << 20); // something written far beyond the data: kept, for a verifier to see
            raf.write(new byte[] {0, 7, 0});
        }

        CycleFiles.trim(file);

        assertThat(size(file)).isEqualTo((50L << 20) + CycleFiles.MARGIN + 4096);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek((50L << 20) + 1);
            assertThat(raf.read()).isEqualTo(7);
        }
    }

    private static void append(ExcerptAppender appender, int count) {
        for (int i = 0; i < count; i++) {
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(new byte[696]).writeInt(i + 1);
            }
        }
    }

    private static int count(ExcerptTailer tailer) {
        int n = 0;
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return n;
                }
                n++;
            }
        }
    }

    private List<Path> cycleFiles() throws Exception {
        return cycleFiles(dir.resolve(ChronicleSettings.QUEUE_DIRECTORY));
    }

    private static List<Path> cycleFiles(Path queue) throws Exception {
        try (Stream<Path> files = Files.list(queue)) {
            return files.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
