package dev.warden.receipts;

import java.util.List;

/**
 * One excerpt of the receipts queue as stored, before any verification. The first payload byte
 * names the kind; docs/RECEIPTS.md gives the layout of each.
 */
public sealed interface LogEntry {
    byte RECEIPT = 'R';
    byte CHECKPOINT = 'C';
    byte COSIGNED = 'W';

    /** Chronicle's index of the excerpt (cycle and position): where it is, for messages. */
    long index();

    /** {@code 'R'}: the leaf hash the writer recorded, then the receipt's canonical bytes. */
    record StoredReceipt(long index, byte[] recordedHash, byte[] bytes) implements LogEntry {
        /** The receipt, if the bytes are a canonical receipt (whether its hash matches is checked apart). */
        public Receipt parse() throws MalformedReceiptException {
            return Receipt.parse(bytes);
        }

        public boolean hashMatches() {
            return java.util.Arrays.equals(recordedHash, TreeHashes.leaf(bytes));
        }
    }

    /** {@code 'C'}: a signed checkpoint note, and the writer's tree frontier at that size (for restarts). */
    record StoredCheckpoint(long index, String note, List<byte[]> frontier) implements LogEntry {
    }

    /**
     * {@code 'W'}: a checkpoint the log wrote earlier, as a signed note carrying the cosignatures a
     * witness returned for it (C2SP tlog-cosignature), appended when they arrived.
     */
    record StoredCosigned(long index, String note) implements LogEntry {
    }

    /** An excerpt this version cannot read: an unknown kind, or one cut short. */
    record UnreadableEntry(long index, String why) implements LogEntry {
    }
}
