package dev.warden.verifier;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.ReceiptReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Read-ahead hands out every excerpt once, in queue order, each receipt parsed as {@code parse()} parses it. */
class ReadAheadTest {
    @TempDir
    Path tmp;

    @Test
    void everyExcerptInQueueOrderWhateverTheBatchesAndThreads() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog.write(dir, 11);
        List<String> expected = ReceiptReader.readAll(dir).stream().map(ReadAheadTest::where).toList();

        for (int threads : new int[] {1, 2, 3}) {
            for (int batch : new int[] {1, 2, 5, expected.size(), expected.size() + 1}) {
                List<String> seen = new ArrayList<>();
                try (ReceiptReader reader = ReceiptReader.open(dir); ReadAhead ahead = ReadAhead.over(reader, threads, batch)) {
                    for (ReadAhead.Parsed p = ahead.next(); p != null; p = ahead.next()) {
                        seen.add(where(p.entry()));
                        if (p.entry() instanceof LogEntry.StoredReceipt r) {
                            assertThat(p.receipt()).isEqualTo(parse(r));
                            assertThat(p.malformed()).isNull();
                        } else {
                            assertThat(p.receipt()).isNull();
                        }
                    }
                    assertThat(ahead.next()).isNull();
                }
                assertThat(seen).as("%d threads, batches of %d", threads, batch).isEqualTo(expected);
            }
        }
    }

    @Test
    void aReceiptThatDoesNotParseCarriesWhy() {
        LogEntry.StoredReceipt broken = new LogEntry.StoredReceipt(Tamper.NOWHERE, new byte[32], new byte[16], "{}".getBytes());

        ReadAhead.Parsed p = ReadAhead.Parsed.of(broken);

        assertThat(p.receipt()).isNull();
        assertThat(p.malformed()).hasMessageContaining("members are []");
    }

    /** An excerpt's kind and place (records holding arrays do not compare by content). */
    private static String where(LogEntry e) {
        return e.getClass().getSimpleName() + "@" + e.location();
    }

    private static dev.warden.receipts.Receipt parse(LogEntry.StoredReceipt r) {
        try {
            return r.parse();
        } catch (MalformedReceiptException e) {
            throw new AssertionError(e);
        }
    }
}
