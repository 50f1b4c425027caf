package dev.warden.receipts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Clears what a write cut short by a crash left after the end of the data (its payload, whose header
 * was never written), before Chronicle appends there again: otherwise a shorter excerpt written over
 * it would leave the rest of it behind the new end, where it would look like hidden data.
 */
final class TornWrite {
    private TornWrite() {
    }

    /** Zeroes the torn range of the newest cycle file; returns its description for the recovery receipt. */
    static String clear(Path directory, QueueScanner.CycleSummary scan) throws IOException {
        Path file = directory.resolve(ChronicleSettings.QUEUE_DIRECTORY).resolve(scan.file());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate((int) (scan.tornTo() - scan.tornFrom()));
            while (zeros.hasRemaining()) {
                channel.write(zeros, scan.tornFrom() + zeros.position());
            }
            channel.force(false);
        }
        return new ExcerptLocation(scan.file(), scan.tornFrom()) + " (" + (scan.tornTo() - scan.tornFrom()) + " bytes)";
    }
}
