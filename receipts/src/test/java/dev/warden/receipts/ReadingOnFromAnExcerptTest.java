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
