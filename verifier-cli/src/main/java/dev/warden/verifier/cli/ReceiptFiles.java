package dev.warden.verifier.cli;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Walks the readable receipts of a directory for the browsing commands (verify is what judges them). */
final class ReceiptFiles {
    private ReceiptFiles() {
    }

    static void forEach(Path directory, Consumer<Receipt> action) throws IOException {
        try (ReceiptReader reader = ReceiptReader.open(directory)) {
            for (LogEntry e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof LogEntry.StoredReceipt stored) {
                    try {
                        action.accept(stored.parse());
                    } catch (MalformedReceiptException unreadable) {
                        // skipped here; `verify` reports it
                    }
                }
            }
        }
    }

    /** A receipt by id, or by sequence number when {@code idOrSequence} is all digits. */
    static boolean matches(Receipt r, String idOrSequence) {
        return r.id().equals(idOrSequence)
                || idOrSequence.chars().allMatch(Character::isDigit) && String.valueOf(r.sequence()).equals(idOrSequence);
    }

    static String json(Receipt r) {
        return new String(r.canonicalBytes(), StandardCharsets.UTF_8);
    }
}
