package dev.warden.receipts;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

/**
 * Where a reopened log continues: the chain id, the next sequence number, the hash of the last
 * valid receipt, the tree as of the last checkpoint, and the leaf hashes appended after it.
 *
 * <p>Restart semantics: the chain continues. A reopened log appends {@code seq = last + 1} with
 * {@code prev = hash(last)}, where "last" is the newest receipt whose bytes match its recorded hash;
 * a torn receipt at the tail is never accepted as the head. Recovery reads the queue backwards only
 * as far as the last checkpoint, whose excerpt carries the tree frontier, so reopening is O(receipts
 * since that checkpoint), not O(log).
 */
record ChainHead(String chain, long nextSequence, String previousHash, CompactRange tree, List<byte[]> unsignedLeaves) {

    static ChainHead recover(ChronicleQueue queue) {
        try {
            return recover(queue, true);
        } catch (IllegalArgumentException inconsistentFrontier) {
            // A checkpoint whose frontier does not fit its size: rebuild the tree from every receipt instead.
            return recover(queue, false);
        }
    }

    private static ChainHead recover(ChronicleQueue queue, boolean fromCheckpoint) {
        Receipt last = null;
        Deque<byte[]> leaves = new ArrayDeque<>();
        LogEntry.StoredCheckpoint checkpoint = null;
        long checkpointSize = 0;
        ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd();
        while (true) {
            LogEntry entry;
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                entry = LogRecords.read(dc.index(), dc.wire().bytes());
            }
            if (entry instanceof LogEntry.StoredReceipt r) {
                if (last == null) {
                    last = headCandidate(r);
                    if (last == null) {
                        continue;
                    }
                }
                leaves.addFirst(r.recordedHash());
            } else if (fromCheckpoint && entry instanceof LogEntry.StoredCheckpoint c && checkpoint == null) {
                try {
                    checkpointSize = Checkpoint.parse(SignedNote.parse(c.note()).text()).size();
                    checkpoint = c;
                } catch (IllegalArgumentException unreadable) {
                    // not ours to judge here; the verifier reports it. Recover from an earlier one.
                }
            }
            if (checkpoint != null && last != null && leaves.size() >= last.sequence() + 1 - checkpointSize) {
                break;
            }
        }
        if (last == null) {
            return new ChainHead(UUID.randomUUID().toString(), 0, Receipt.GENESIS_PREVIOUS, new CompactRange(), List.of());
        }
        long unsigned = last.sequence() + 1 - checkpointSize;
        CompactRange tree = checkpoint != null && unsigned >= 0 && unsigned <= leaves.size()
                ? CompactRange.restore(checkpointSize, checkpoint.frontier())
                : new CompactRange();
        List<byte[]> tail = new ArrayList<>(leaves);
        List<byte[]> unsignedLeaves = tree.size() == 0 ? tail : tail.subList(tail.size() - (int) unsigned, tail.size());
        return new ChainHead(last.chain(), last.sequence() + 1, last.hash(), tree, List.copyOf(unsignedLeaves));
    }

    private static Receipt headCandidate(LogEntry.StoredReceipt r) {
        if (!r.hashMatches()) {
            return null;
        }
        try {
            return r.parse();
        } catch (MalformedReceiptException e) {
            return null;
        }
    }
}
