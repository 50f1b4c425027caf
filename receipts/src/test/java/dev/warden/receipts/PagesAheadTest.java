package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pages ahead of the appender are faulted in, within the file and without changing a byte of it. */
class PagesAheadTest {

    private static final String FILE = "20261202F.cq4";

    @TempDir
    Path queue;

    @Test
    void thePagesAheadOfTheLastAppendAreInMemoryAndWhatWasWrittenStaysAsItWas() throws IOException {
        Path file = sparse(8L << 20);
        byte[] written = "the receipts so far".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(10_000);
            raf.write(written); // ends mid-page: the appender's own page
        }
        long end = 10_000 + written.length;
        assertThat(resident(file, 3L << 20, 1L << 20)).as("a sparse file's pages are nowhere yet").isFalse();

        try (PagesAhead ahead = new PagesAhead(queue)) {
            ahead.appended(FILE, end);
            ahead.touchAhead(0);

            long firstAhead = 3 * PagesAhead.PAGE;
            assertThat(ahead.touchedUpTo()).isEqualTo(firstAhead + ((end + PagesAhead.LEAST_AHEAD - firstAhead + PagesAhead.PAGE - 1)
                    / PagesAhead.PAGE) * PagesAhead.PAGE);
            assertThat(resident(file, firstAhead, PagesAhead.LEAST_AHEAD - firstAhead)).isTrue();

            long before = ahead.touchedUpTo();
            ahead.appended(FILE, end + 5 * PagesAhead.PAGE);
            ahead.touchAhead(0);
            assertThat(ahead.touchedUpTo()).as("a few receipts on: enough touched still").isEqualTo(before);

            long later = end + PagesAhead.LEAST_AHEAD / 2 + PagesAhead.PAGE;
            ahead.appended(FILE, later);
            ahead.touchAhead(0);
            assertThat(ahead.touchedUpTo()).isEqualTo((later + PagesAhead.LEAST_AHEAD + PagesAhead.PAGE - 1) & -PagesAhead.PAGE);
            assertThat(resident(file, before, ahead.touchedUpTo() - before)).isTrue();
        }

        byte[] content = Files.readAllBytes(file);
        assertThat(java.util.Arrays.copyOfRange(content, 10_000, (int) end)).isEqualTo(written);
        content[10_000 + written.length - 1] = 0;
        for (int i = 10_000; i < end - 1; i++) {
            content[i] = 0;
        }
        assertThat(content).as("every other byte still zero").containsOnly(0);
        assertThat(Files.size(file)).isEqualTo(8L << 20);
    }

    @Test
    void aFastWriterIsTouchedFurtherAheadAsFarAsItsRateNeedsUpToTheMost() throws IOException {
        sparse(128L << 20);
        try (PagesAhead ahead = new PagesAhead(queue)) {
            ahead.appended(FILE, 0);
            ahead.touchAhead(0);
            assertThat(ahead.ahead()).as("no rate seen yet").isEqualTo(PagesAhead.LEAST_AHEAD);

            long tenMillis = TimeUnit.MILLISECONDS.toNanos(10);
            ahead.appended(FILE, 2L << 20); // 200 MB/s
            ahead.touchAhead(tenMillis);
            long fiftyMillisOfAppends = (2L << 20) * PagesAhead.AHEAD_NANOS / tenMillis;
            assertThat(ahead.ahead()).isEqualTo(fiftyMillisOfAppends);
            assertThat(ahead.touchedUpTo()).isEqualTo(((2L << 20) + fiftyMillisOfAppends + PagesAhead.PAGE - 1) & -PagesAhead.PAGE);

            ahead.appended(FILE, 40L << 20); // 3.8 GB/s
            ahead.touchAhead(2 * tenMillis);
            assertThat(ahead.ahead()).isEqualTo(PagesAhead.MOST_AHEAD);
            assertThat(ahead.touchedUpTo()).isEqualTo((40L << 20) + PagesAhead.MOST_AHEAD);

            ahead.appended(FILE, (40L << 20) + 100);
            ahead.touchAhead(3 * tenMillis);
            assertThat(ahead.ahead()).as("quiet again").isEqualTo(PagesAhead.LEAST_AHEAD);
        }
    }

    @Test
    void neverPastTheEndOfTheFileWhichItNeverExtends() throws IOException {
        Path file = sparse(5 * PagesAhead.PAGE + 100);
        try (PagesAhead ahead = new PagesAhead(queue)) {
            ahead.appended(FILE, 0);
            ahead.touchAhead(0);

            assertThat(ahead.touchedUpTo()).isEqualTo(6L * PagesAhead.PAGE);
        }
        assertThat(Files.size(file)).isEqualTo(5 * PagesAhead.PAGE + 100);
    }

    @Test
    void aFileItCannotOpenOnlyStopsTheTouching() {
        try (PagesAhead ahead = new PagesAhead(queue)) {
            ahead.appended("missing.cq4", 0);
            ahead.touchAhead(0);
            ahead.touchAhead(0);

            assertThat(ahead.touchedUpTo()).isZero();
        }
    }

    private Path sparse(long length) throws IOException {
        Path file = queue.resolve(FILE);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
        return file;
    }

    /** Whether the file's pages in the range are in memory (mincore, through a mapping that touches nothing). */
    private static boolean resident(Path file, long from, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
            return map.isLoaded();
        }
    }
}
