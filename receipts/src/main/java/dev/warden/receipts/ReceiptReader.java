package dev.warden.receipts;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a receipts directory back in queue order, without writing to it (a verifier must not
 * touch the evidence): every receipt and checkpoint excerpt, as stored.
 */
public final class ReceiptReader implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;

    private ReceiptReader(ChronicleQueue queue) {
        this.queue = queue;
        this.tailer = queue.createTailer();
    }

    /** @throws NotAReceiptsDirectoryException when {@code directory} has no receipts queue in it */
    public static ReceiptReader open(Path directory) throws IOException {
        Path queueDir = directory.resolve(ChronicleSettings.QUEUE_DIRECTORY);
        if (!Files.isDirectory(directory)) {
            throw new NotAReceiptsDirectoryException(directory + " is not a directory");
        }
        if (!Files.isDirectory(queueDir) || !containsQueueFiles(queueDir)) {
            throw new NotAReceiptsDirectoryException(directory + " holds no receipts (no Chronicle queue in "
                    + queueDir + ")");
        }
        try {
            return new ReceiptReader(ChronicleSettings.openReadOnly(directory));
        } catch (RuntimeException e) {
            throw new NotAReceiptsDirectoryException("cannot open the receipts queue in " + queueDir + ": " + e);
        }
    }

    /** The next excerpt, or {@code null} at the end of the queue. */
    public LogEntry next() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            return LogRecords.read(dc.index(), dc.wire().bytes());
        }
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
        queue.close();
    }

    private static boolean containsQueueFiles(Path queueDir) throws IOException {
        try (Stream<Path> files = Files.list(queueDir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        }
    }
}
