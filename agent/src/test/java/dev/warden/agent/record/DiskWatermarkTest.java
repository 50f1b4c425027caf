package dev.warden.agent.record;

import dev.warden.agent.config.MinimumFreeSpace;
import dev.warden.agent.install.WardenThreads;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The free-space watermark with a file system the test controls. */
class DiskWatermarkTest {

    private static final long MB = 1L << 20;

    @TempDir
    Path directory;

    @Test
    void aboveTheMinimumThereIsRoomBelowItEveryActionIsRefusedAndBelowTheFloorNothingIsWritten() {
        FakeDiskSpace space = new FakeDiskSpace(600 * MB, 100_000 * MB);
        DiskWatermark watermark = new DiskWatermark(space, MinimumFreeSpace.parse("512MB"));
        assertThat(watermark.refusal()).isNull();
        assertThat(watermark.writable()).isTrue();

        space.usable = 180 * MB;
        assertThat(watermark.refusal()).as("not sampled yet").isNull();
        watermark.sample();
        assertThat(watermark.refusal()).isEqualTo("warden.disk-low: 180 MB free in /var/warden, below 512 MB (receipts-min-free)");
        assertThat(watermark.writable()).isTrue();

        space.usable = 127 * MB;
        watermark.sample();
        assertThat(watermark.refusal()).isEqualTo(
                "warden.disk-low: 127 MB free in /var/warden, below the floor of 128 MB: no more receipts are written");
        assertThat(watermark.writable()).isFalse();

        space.usable = 512 * MB;
        watermark.sample();
        assertThat(watermark.refusal()).isNull();
        assertThat(watermark.writable()).isTrue();
    }

    @Test
    void aPercentageIsOfTheFileSystemsSize() {
        FakeDiskSpace space = new FakeDiskSpace(4 * 1024 * MB, 100 * 1024 * MB);
        DiskWatermark watermark = new DiskWatermark(space, MinimumFreeSpace.parse("5%"));
        assertThat(watermark.refusal()).isEqualTo("warden.disk-low: 4.0 GB free in /var/warden, below 5.0 GB (receipts-min-free)");
    }

    @Test
    void aFileSystemThatCannotSayHowMuchIsFreeRefusesEveryActionButStillRecords() {
        FakeDiskSpace space = new FakeDiskSpace(600 * MB, 100_000 * MB);
        space.failure = new IOException("Stale file handle");
        DiskWatermark watermark = new DiskWatermark(space, MinimumFreeSpace.parse("512MB"));
        assertThat(watermark.refusal()).isEqualTo("warden.disk-low: the free space of /var/warden cannot be read "
                + "(java.io.IOException: Stale file handle)");
        assertThat(watermark.writable()).isTrue();
    }

    @Test
    void theSpaceIsNeverAskedPerActionButEveryThousandReceiptsAndByTheHousekeeper() throws Exception {
        FakeDiskSpace space = new FakeDiskSpace(600 * MB, 100_000 * MB);
        DiskWatermark watermark = new DiskWatermark(space, MinimumFreeSpace.parse("512MB"));
        ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(directory).withThreadFactory(new WardenThreads(null)));
        ReceiptRecorder recorder = ReceiptRecorder.writingTo(log, null, watermark, java.time.Clock.systemUTC(), () -> "x");
        try {
            int atOpen = space.asked.get();
            for (int i = 0; i < 3 * DiskWatermark.SAMPLE_EVERY; i++) {
                recorder.record(permit(i));
            }
            assertThat(space.asked.get() - atOpen).isEqualTo(3);

            space.usable = 100 * MB;
            recorder.housekeep();
            assertThat(recorder.refusal()).startsWith("warden.disk-low: 100 MB free");
        } finally {
            recorder.close();
        }
    }

    @Test
    void zeroTurnsTheWatermarkOff() {
        FakeDiskSpace space = new FakeDiskSpace(0, 100_000 * MB);
        DiskWatermark watermark = new DiskWatermark(space, MinimumFreeSpace.parse("0"));
        watermark.sample();
        assertThat(watermark.refusal()).isNull();
        assertThat(watermark.writable()).isTrue();
        assertThat(space.asked.get()).isZero();
    }

    @Test
    void theRealFileSystemIsAskedThroughTheStoreFoundAtStart() throws Exception {
        DiskSpace real = DiskSpace.of(directory);
        assertThat(real.usableBytes()).isPositive().isLessThanOrEqualTo(real.totalBytes());
        assertThat(real.where()).isEqualTo(directory.toAbsolutePath().toString());

        DiskSpace missing = DiskSpace.of(directory.resolve("gone"));
        org.assertj.core.api.Assertions.assertThatThrownBy(missing::usableBytes).isInstanceOf(IOException.class)
                .hasMessageStartingWith("no file store found for " + directory.resolve("gone"));
        DiskWatermark watermark = new DiskWatermark(missing, MinimumFreeSpace.parse("1MB"));
        assertThat(watermark.refusal()).startsWith("warden.disk-low: the free space of " + directory.resolve("gone").toAbsolutePath()
                + " cannot be read (java.io.IOException: no file store found");
    }

    private static ReceiptDraft permit(int i) {
        return new ReceiptDraft(String.format("0193a8c0-0000-7000-8000-%012d", i), Instant.now(), "bot", null, null, "jdbc",
                "SELECT", "accounts", null, Map.of(), "PERMIT", true, List.of("reads"), "permitted", Map.of(), null);
    }
}
