package dev.warden.receipts;

import java.util.List;

/**
 * One excerpt of the receipts queue as stored, before any verification, or damage the scanner met
 * in the queue's files. The first payload byte of an excerpt names its kind; docs/RECEIPTS.md gives
 * the layout of each.
 */
public sealed interface LogEntry {
    byte RECEIPT = 'R';
    byte CHECKPOINT = 'C';
    byte COSIGNED = 'W';
    byte CYCLE_START = 'S';

    /** Where it is: the cycle file and the offset of the excerpt's document header. */
    ExcerptLocation location();

    /**
     * {@code 'R'}: the leaf hash the writer recorded, the writer's MAC of it (see {@link ReceiptMac}),
     * then the receipt's canonical bytes.
     */
    record StoredReceipt(ExcerptLocation location, byte[] recordedHash, byte[] mac, byte[] bytes) implements LogEntry {
        /**
         * The receipt, if the bytes are a canonical receipt (whether its hash matches is checked apart). The receipt
         * keeps these bytes rather than a copy (a verifier reads millions): do not change them afterwards.
         */
        public Receipt parse() throws MalformedReceiptException {
            return ReceiptCodec.parseOwned(bytes); // the excerpt's own copy: the receipt shares it (it hands out copies)
        }

        /**
         * The receipt's draft, read as {@link #parse} reads it but not hashed: for the agent's replay of its own log,
         * which trusts what it wrote (the verifier judges the log).
         */
        public ReceiptDraft draft() throws MalformedReceiptException {
            return ReceiptCodec.parseDraft(bytes);
        }

        public boolean hashMatches() {
            return java.util.Arrays.equals(recordedHash, TreeHashes.leaf(bytes));
        }
    }

    /** {@code 'C'}: a signed checkpoint note, and the writer's tree frontier at that size (for restarts). */
    record StoredCheckpoint(ExcerptLocation location, String note, List<byte[]> frontier) implements LogEntry {
    }

    /**
     * {@code 'S'}: the first excerpt the writer puts in every cycle file. It names the file written
     * before this one ({@code ""} for the log's first file), the sequence number the next receipt gets,
     * and the hash of the receipt before it, so a verifier can name a missing file and what it held.
     */
    record CycleStart(ExcerptLocation location, int formatVersion, String previousFile, long nextSequence,
                      String previousHash) implements LogEntry {
    }

    /**
     * {@code 'W'}: a checkpoint the log wrote earlier, as a signed note carrying the cosignatures a
     * witness returned for it (C2SP tlog-cosignature), appended when they arrived.
     */
    record StoredCosigned(ExcerptLocation location, String note) implements LogEntry {
    }

    /** An excerpt this version cannot read: an unknown kind, or one cut short. */
    record UnreadableEntry(ExcerptLocation location, String why) implements LogEntry {
    }

    /**
     * Something wrong with the queue's files themselves, found by {@link QueueScanner}: what Chronicle's
     * readers would have silently skipped, stopped at, or crashed on.
     */
    record QueueDamage(ExcerptLocation location, Damage damage, String why) implements LogEntry {
    }

    enum Damage {
        /** A file or document that cannot be read as Chronicle wrote it: bad lengths, no header, garbage. */
        CORRUPT,
        /** Data Chronicle's readers never see: past the end of the data, marked as metadata or as in progress. */
        HIDDEN,
        /** An excerpt whose header was never written: a write cut short by a crash (or a zeroed header). */
        TORN,
        /** Chronicle's write-position hint does not point at a document: an appender trusting it writes where no reader looks. */
        HINT,
        /** A cycle file that the other files say existed is not there. */
        MISSING_FILE,
        /** A file in the queue directory that is not a cycle file or Chronicle's metadata (a renamed cycle file, say). */
        UNEXPECTED_FILE
    }
}
