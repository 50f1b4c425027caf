package dev.warden.receipts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a receipts directory back in queue order, without writing to it (a verifier must not
 * touch the evidence): every excerpt as stored, and every damage the {@link QueueScanner} met, each
 * with its location. Never through Chronicle: its readers trust the files' hints and crash on some
 * corrupt files.
 */
public final class ReceiptReader implements AutoCloseable {
    private final QueueScanner scanner;

    private ReceiptReader(QueueScanner scanner) {
        this.scanner = scanner;
    }

    /** @throws NotAReceiptsDirectoryException when {@code directory} has no receipts queue in it */
    public static ReceiptReader open(Path directory) throws IOException {
        return new ReceiptReader(QueueScanner.open(directory));
    }

    /**
     * A reader from the excerpt at {@code from} on, for a reader that read the queue up to there before (see
     * {@link QueueScanner#openAt}): the first entry is whatever lies there.
     *
     * @throws NotAReceiptsDirectoryException when {@code directory} holds no queue, or not {@code from}'s cycle file
     */
    public static ReceiptReader openAt(Path directory, ExcerptLocation from) throws IOException {
        return new ReceiptReader(QueueScanner.openAt(directory, from));
    }

    /** See {@link QueueScanner#openLive}: for a reader of a log that is being written to. */
    public static ReceiptReader openLive(Path directory, ExcerptLocation from) throws IOException {
        return new ReceiptReader(QueueScanner.openLive(directory, from));
    }

    /** The next excerpt or damage, or {@code null} at the end of the queue. */
    public LogEntry next() {
        return scanner.next();
    }

    /** The cycle files in queue order. */
    public List<String> cycleFiles() {
        return scanner.cycleFiles();
    }

    /** What the scan found per cycle file, for the files read so far. */
    public List<QueueScanner.CycleSummary> summaries() {
        return scanner.summaries();
    }

    /** Every excerpt in a directory. Convenient for tests; the verifier streams with {@link #next()}. */
    public static List<LogEntry> readAll(Path directory) throws IOException {
        try (ReceiptReader reader = open(directory)) {
            List<LogEntry> entries = new ArrayList<>();
            for (LogEntry e = reader.next(); e != null; e = reader.next()) {
                entries.add(e);
            }
            return entries;
        }
    }

    /** Every receipt in a directory, parsed; fails on the first one that is not canonical. */
    public static List<Receipt> receipts(Path directory) throws IOException, MalformedReceiptException {
        List<Receipt> receipts = new ArrayList<>();
        for (LogEntry e : readAll(directory)) {
            if (e instanceof LogEntry.StoredReceipt r) {
                receipts.add(r.parse());
            }
        }
        return receipts;
    }

    @Override
    public void close() {
        scanner.close();
    }
}
