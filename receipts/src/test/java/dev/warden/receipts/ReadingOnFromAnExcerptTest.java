package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reader that read the log up to an excerpt before goes on from there, as the agent's replay after a snapshot does. */
class ReadingOnFromAnExcerptTest {

    @TempDir
    Path dir;

    @Test
    void aReaderOpenedAtAnExcerptReturnsItThenEveryLaterExcerptOfItsFileAndOfTheFilesAfterIt() throws Exception {
        writeOverThreeDays();
        List<LogEntry> whole = ReceiptReader.readAll(dir);
        List<LogEntry.StoredReceipt> all = receipts(whole);
        assertThat(whole.stream().map(entry -> entry.location().file()).distinct()).as("cycle files").hasSize(3);

        for (LogEntry.StoredReceipt from : List.of(all.get(5), lastOfItsFile(all, all.get(0)), all.get(all.size() - 1))) {
            List<LogEntry> onward = readFrom(from.location());
            assertThat(onward.get(0)).isInstanceOf(LogEntry.StoredReceipt.class);
            assertThat(onward.get(0).location()).isEqualTo(from.location());
            assertThat(onward).as("from " + from.location() + ": the whole read's entries from there on")
                    .extracting(LogEntry::location)
                    .containsExactlyElementsOf(whole.subList(whole.indexOf(entryAt(whole, from.location())), whole.size())
                            .stream().map(LogEntry::location).toList());
            assertThat(onward).as("no damage is made up for a scan that starts inside a file")
                    .noneMatch(entry -> entry instanceof LogEntry.QueueDamage);
        }
    }

    /** Ten receipts a day, the log reopened each day by a writer whose queue rolls by that day's date. */
    private void writeOverThreeDays() throws Exception {
        for (int day = 0; day < 3; day++) {
            Clock then = Clock.fixed(Drafts.T0.plus(Duration.ofDays(day)), ZoneOffset.UTC);
            try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withRollClock(then))) {
                for (int i = day * 10; i < day * 10 + 10; i++) {
                    log.append(Drafts.sql(i));
                }
            }
        }
    }

    private List<LogEntry> readFrom(ExcerptLocation location) throws Exception {
        List<LogEntry> onward = new ArrayList<>();
        try (ReceiptReader reader = ReceiptReader.openAt(dir, location)) {
            for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                onward.add(entry);
            }
        }
        return onward;
    }

    private static LogEntry.StoredReceipt lastOfItsFile(List<LogEntry.StoredReceipt> all, LogEntry.StoredReceipt first) {
        return all.stream().filter(receipt -> receipt.location().file().equals(first.location().file()))
                .reduce((earlier, later) -> later).orElseThrow();
    }

    private static LogEntry entryAt(List<LogEntry> entries, ExcerptLocation location) {
        return entries.stream().filter(entry -> entry.location().equals(location)).findFirst().orElseThrow();
    }

    /**
     * The agent's own replay reads a log its writer appends to: in the newest file, a header of 0 is where the data ends
     * (a header read from an older copy of the file may be one being written), so a live read never searches past it;
     * in older files nobody writes, it reads on past one, as a whole read does.
     */
    @Test
    void aLiveReadEndsTheNewestFileAtAHeaderOfZeroAndReadsOlderFilesWhole() throws Exception {
        writeOverThreeDays();
        List<LogEntry.StoredReceipt> before = receipts(ReceiptReader.readAll(dir));
        LogEntry.StoredReceipt oldest = before.get(4);
        LogEntry.StoredReceipt newest = before.get(24);
        zeroHeaderOf(oldest);
        zeroHeaderOf(newest);

        List<LogEntry> whole = ReceiptReader.readAll(dir);
        List<LogEntry> live = new ArrayList<>();
        try (ReceiptReader reader = ReceiptReader.openLive(dir, null)) {
            for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                live.add(entry);
            }
        }
        assertThat(receipts(whole)).as("a whole read finds every receipt but the two, behind hidden-data damage")
                .hasSize(28);
        // Nor does it report the writer's position hint as damage: a live file's scan may end before it.
        assertThat(live).as("the live read: everything the whole read finds before the newest file's header of 0")
                .extracting(ReadingOnFromAnExcerptTest::kindAndLocation)
                .containsExactlyElementsOf(whole.stream().filter(entry -> !entry.location().file().equals(newest.location().file())
                                || entry.location().offset() < newest.location().offset()
                                && !(entry instanceof LogEntry.QueueDamage damage && damage.damage() == LogEntry.Damage.HINT))
                        .map(ReadingOnFromAnExcerptTest::kindAndLocation).toList());
        assertThat(receipts(live)).as("the older file's receipts after its header of 0 still count").hasSize(23)
                .extracting(LogEntry::location).contains(before.get(5).location(), before.get(9).location());
    }

    private static String kindAndLocation(LogEntry entry) {
        return entry.getClass().getSimpleName() + " " + entry.location()
                + (entry instanceof LogEntry.QueueDamage damage ? " " + damage.damage() : "");
    }

    private void zeroHeaderOf(LogEntry.StoredReceipt receipt) throws Exception {
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(
                ChronicleSettings.queueDirectory(dir).resolve(receipt.location().file()), java.nio.file.StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.allocate(4), receipt.location().offset());
        }
    }

    @Test
    void aCycleFileNoLongerThereIsSaidNotGuessedAt() throws Exception {
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            log.append(Drafts.sql(0));
        }
        assertThatThrownBy(() -> ReceiptReader.openAt(dir, new ExcerptLocation("20000101.cq4", 0)))
                .isInstanceOf(NotAReceiptsDirectoryException.class).hasMessageContaining("20000101.cq4");
    }

    private static List<LogEntry.StoredReceipt> receipts(List<LogEntry> entries) {
        return entries.stream().filter(LogEntry.StoredReceipt.class::isInstance).map(LogEntry.StoredReceipt.class::cast).toList();
    }
}
