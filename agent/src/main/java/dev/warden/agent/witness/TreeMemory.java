package dev.warden.agent.witness;

import dev.warden.receipts.CompactRange;
import dev.warden.receipts.ConsistencyProofs;
import dev.warden.receipts.NewCheckpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this process remembers of the tree to prove consistency to a witness that is behind: the
 * frontier at a base size and every leaf hash since (32 bytes a receipt). Leaves are forgotten once
 * every witness has cosigned past them, and beyond {@code maxLeaves} (a witness down for very long),
 * after which that witness can no longer be caught up and the feed says so. Thread-safe.
 */
final class TreeMemory {
    private final int maxLeaves;
    private long baseSize = -1;
    private List<byte[]> baseFrontier;
    private final ArrayList<byte[]> leaves = new ArrayList<>();

    TreeMemory(int maxLeaves) {
        this.maxLeaves = maxLeaves;
    }

    synchronized void add(NewCheckpoint checkpoint) {
        if (baseSize < 0 || checkpoint.previousSize() != size()) {
            // the first checkpoint of this process (or a gap, which the log never leaves): start from it
            baseSize = checkpoint.previousSize();
            baseFrontier = checkpoint.previousFrontier();
            leaves.clear();
        }
        leaves.addAll(checkpoint.appended());
        if (leaves.size() > maxLeaves) {
            forgetBefore(size() - maxLeaves);
        }
    }

    /** The proof from {@code from} to {@code to}, if both are within what is remembered. */
    synchronized Optional<List<byte[]>> proof(long from, long to) {
        if (from == 0 || from == to) {
            return Optional.of(List.of());
        }
        if (baseSize < 0 || from < baseSize || to > size() || from > to) {
            return Optional.empty();
        }
        CompactRange old = tree(from);
        return Optional.of(ConsistencyProofs.prove(from, old.frontier(),
                leaves.subList((int) (from - baseSize), (int) (to - baseSize))));
    }

    /** The oldest size a proof can start from (besides 0), or -1 before the first checkpoint. */
    synchronized long oldestProvable() {
        return baseSize;
    }

    /** Drops what no proof from {@code size} onwards needs. */
    synchronized void forgetBefore(long size) {
        if (baseSize < 0 || size <= baseSize || size > size()) {
            return;
        }
        baseFrontier = tree(size).frontier();
        leaves.subList(0, (int) (size - baseSize)).clear();
        leaves.trimToSize();
        baseSize = size;
    }

    private long size() {
        return baseSize + leaves.size();
    }

    private CompactRange tree(long size) {
        CompactRange tree = CompactRange.restore(baseSize, baseFrontier);
        leaves.subList(0, (int) (size - baseSize)).forEach(tree::append);
        return tree;
    }
}
