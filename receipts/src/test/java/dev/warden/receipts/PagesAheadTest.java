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
            ahead.touchAhead();

            long firstAhead = 3 * PagesAhead.PAGE;
            assertThat(ahead.touchedUpTo()).isEqualTo(firstAhead + ((end + PagesAhead.AHEAD - firstAhead + PagesAhead.PAGE - 1)
                    / PagesAhead.PAGE) * PagesAhead.PAGE);
            assertThat(resident(file, firstAhead, PagesAhead.AHEAD - firstAhead)).isTrue();

            long before = ahead.touchedUpTo();
            ahead.appended(FILE, end + 5 * PagesAhead.PAGE);
            ahead.touchAhead();
            assertThat(ahead.touchedUpTo()).as("a few receipts on: enough touched still").isEqualTo(before);

            long later = end + PagesAhead.AHEAD / 2 + PagesAhead.PAGE;
            ahead.appended(FILE, later);
            ahead.touchAhead();
            assertThat(ahead.touchedUpTo()).isEqualTo((later + PagesAhead.AHEAD + PagesAhead.PAGE - 1) & -PagesAhead.PAGE);
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
    void neverPastTheEndOfTheFileWhichItNeverExtends() throws IOException {
        Path file = sparse(5 * PagesAhead.PAGE + 100);
        try (PagesAhead ahead = new PagesAhead(queue)) {
            ahead.appended(FILE, 0);
            ahead.touchAhead();

            assertThat(ahead.touchedUpTo()).isEqualTo(6L * PagesAhead.PAGE);
        }
        assertThat(Files.size(file)).isEqualTo(5 * PagesAhead.PAGE + 100);
    }

    @Test
    void aFileItCannotOpenOnlyStopsTheTouching() {
        try (PagesAhead ahead = new PagesAhead(queue)) {
            ahead.appended("missing.cq4", 0);
            ahead.touchAhead();
            ahead.touchAhead();

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
