package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reader that read the log up to an excerpt before goes on from there, as the agent's replay after a snapshot does. */
class ReadingOnFromAnExcerptTest {

    @TempDir
    Path dir;

    @Test
    void aReaderOpenedAtAnExcerptReturnsItThenEveryLaterExcerptAsTheWholeReadDoes() throws Exception {
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            for (int i = 0; i < 40; i++) {
                log.append(Drafts.sql(i));
            }
        }
        List<LogEntry.StoredReceipt> all = receipts(ReceiptReader.readAll(dir));
        LogEntry.StoredReceipt twelfth = all.get(11);

        List<LogEntry> onward = new ArrayList<>();
        try (ReceiptReader reader = ReceiptReader.openAt(dir, twelfth.location())) {
            for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                onward.add(entry);
            }
        }

        assertThat(onward.get(0)).isInstanceOf(LogEntry.StoredReceipt.class);
        assertThat(onward.get(0).location()).isEqualTo(twelfth.location());
        assertThat(receipts(onward)).extracting(LogEntry.StoredReceipt::location)
                .containsExactlyElementsOf(all.subList(11, all.size()).stream().map(LogEntry::location).toList());
        assertThat(onward).as("no damage is made up for a scan that starts inside a file")
                .noneMatch(entry -> entry instanceof LogEntry.QueueDamage);
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
