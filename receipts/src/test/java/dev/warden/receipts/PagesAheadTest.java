package dev.warden.receipts;

import net.openhft.chronicle.bytes.MappedBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages ahead of the appender are faulted in, through the appender's own mapping of the file, without
 * changing a byte of it, and the chunk touched is let go.
 */
class PagesAheadTest {

    private static final long CHUNK = 8L << 20;
    private static final long OVERLAP = 1L << 20;

    @TempDir
    Path queue;

    @Test
    void thePagesAheadOfTheLastAppendAreInMemoryAndWhatWasWrittenStaysAsItWas() throws IOException {
        Path file = queue.resolve("20261202F.cq4");
        byte[] written = "the receipts so far".getBytes(StandardCharsets.US_ASCII);
        long end = (24L << 20) + 100; // where the toucher is told the appends end: mid-page
        try (MappedBytes appender = MappedBytes.mappedBytes(file.toFile(), CHUNK, OVERLAP)) {
            appender.writePosition(100).write(written); // far away: the kernel reads ahead of a write by megabytes
            long firstAhead = (end + PagesAhead.PAGE - 1) & -PagesAhead.PAGE;
            long upTo = (end + PagesAhead.LEAST_AHEAD + PagesAhead.PAGE - 1) & -PagesAhead.PAGE;
            assertThat(Files.size(file)).as("the pages ahead are not even in the file yet").isLessThan(firstAhead);

            try (PagesAhead ahead = new PagesAhead()) {
                ahead.appended(appender, end);
                ahead.touchAhead(0);

                assertThat(ahead.touchedUpTo()).isEqualTo(upTo);
                assertThat(resident(file, firstAhead, upTo - firstAhead)).isTrue();

                ahead.appended(appender, end + 5 * PagesAhead.PAGE);
                ahead.touchAhead(0);
                assertThat(ahead.touchedUpTo()).as("a few receipts on: enough touched still").isEqualTo(upTo);

                long later = end + PagesAhead.LEAST_AHEAD / 2 + PagesAhead.PAGE;
                ahead.appended(appender, later);
                ahead.touchAhead(0);
                assertThat(ahead.touchedUpTo()).isEqualTo((later + PagesAhead.LEAST_AHEAD + PagesAhead.PAGE - 1) & -PagesAhead.PAGE);
                assertThat(resident(file, upTo, ahead.touchedUpTo() - upTo)).isTrue();
            }
        }

        byte[] content = Files.readAllBytes(file);
        assertThat(java.util.Arrays.copyOfRange(content, 100, 100 + written.length)).isEqualTo(written);
        java.util.Arrays.fill(content, 100, 100 + written.length, (byte) 0);
        assertThat(content).as("every other byte still zero").containsOnly(0);
    }

    @Test
    void itTouchesTheChunkTheAppenderWritesThroughAndLetsItGo() throws IOException {
        Path file = queue.resolve("20261202F.cq4");
        try (MappedBytes appender = MappedBytes.mappedBytes(file.toFile(), CHUNK, OVERLAP)) {
            appender.writePosition(100).writeLong(42);
            long heldByTheAppender = appender.bytesStore().refCount();

            PagesAhead ahead = new PagesAhead();
            ahead.appended(appender, appender.writePosition());
            ahead.touchAhead(0);
            assertThat(appender.bytesStore().refCount()).as("one mapping of the chunk, held by both")
                    .isEqualTo(heldByTheAppender + 1);

            ahead.close();
            assertThat(appender.bytesStore().refCount()).isEqualTo(heldByTheAppender);
        }
    }

    @Test
    void aRetiredFileIsLetGoAndNeverTouchedAgainThoughTheAppenderHasNotMovedOnYet() throws IOException {
        Path file = queue.resolve("20261202F.cq4");
        try (MappedBytes appender = MappedBytes.mappedBytes(file.toFile(), CHUNK, OVERLAP)) {
            appender.writePosition(100).writeLong(42);
            long heldByTheAppender = appender.bytesStore().refCount();
            try (PagesAhead ahead = new PagesAhead()) {
                ahead.appended(appender, appender.writePosition());
                ahead.touchAhead(0);
                long touched = ahead.touchedUpTo();

                ahead.retire(file.toFile()); // released, about to be trimmed
                assertThat(appender.bytesStore().refCount()).as("its chunk let go").isEqualTo(heldByTheAppender);

                ahead.appended(appender, touched + (4L << 20));
                ahead.touchAhead(0);
                assertThat(appender.bytesStore().refCount()).as("no chunk of it taken again").isEqualTo(heldByTheAppender);
                assertThat(ahead.touchedUpTo()).isEqualTo(touched);
            }
        }
    }

    @Test
    void aFastWriterIsTouchedFurtherAheadAsFarAsItsRateNeedsUpToTheMost() throws IOException {
        try (MappedBytes appender = MappedBytes.mappedBytes(queue.resolve("20261202F.cq4").toFile(), CHUNK, OVERLAP);
             PagesAhead ahead = new PagesAhead()) {
            ahead.appended(appender, 0);
            ahead.touchAhead(0);
            assertThat(ahead.ahead()).as("no rate seen yet").isEqualTo(PagesAhead.LEAST_AHEAD);

            long tenMillis = TimeUnit.MILLISECONDS.toNanos(10);
            ahead.appended(appender, 2L << 20); // 200 MB/s
            ahead.touchAhead(tenMillis);
            long fiftyMillisOfAppends = (2L << 20) * PagesAhead.AHEAD_NANOS / tenMillis;
            assertThat(ahead.ahead()).isEqualTo(fiftyMillisOfAppends);
            assertThat(ahead.touchedUpTo()).isEqualTo(((2L << 20) + fiftyMillisOfAppends + PagesAhead.PAGE - 1) & -PagesAhead.PAGE);

            ahead.appended(appender, 40L << 20); // 3.8 GB/s: past the first chunks, touched through the ones holding them
            ahead.touchAhead(2 * tenMillis);
            assertThat(ahead.ahead()).isEqualTo(PagesAhead.MOST_AHEAD);
            assertThat(ahead.touchedUpTo()).isEqualTo((40L << 20) + PagesAhead.MOST_AHEAD);

            ahead.appended(appender, (40L << 20) + 100);
            ahead.touchAhead(3 * tenMillis);
            assertThat(ahead.ahead()).as("quiet again").isEqualTo(PagesAhead.LEAST_AHEAD);
        }
    }

    @Test
    void aFileClosedUnderItOnlyStopsTheTouching() throws IOException {
        MappedBytes appender = MappedBytes.mappedBytes(queue.resolve("20261202F.cq4").toFile(), CHUNK, OVERLAP);
        try (PagesAhead ahead = new PagesAhead()) {
            ahead.appended(appender, 0);
            appender.close();
            appender.mappedFile().close();
            ahead.touchAhead(0);
            ahead.touchAhead(0);

            assertThat(ahead.touchedUpTo()).isZero();
        }
    }

    /** Whether the file's pages in the range are in memory (mincore, through a mapping that touches nothing). */
    private static boolean resident(Path file, long from, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
            return map.isLoaded();
        }
    }
}
