package dev.warden.receipts;

import java.io.IOException;
import java.nio.file.Path;

/** Another writer holds the receipts directory: a second writer would interleave two chains in one queue. */
public final class ReceiptsLockedException extends IOException {
    public ReceiptsLockedException(Path directory, String holder) {
        super("receipts directory " + directory.toAbsolutePath() + " is being written by another process: " + holder
                + " holds " + directory.toAbsolutePath().resolve(WriterLock.FILE));
    }
}
