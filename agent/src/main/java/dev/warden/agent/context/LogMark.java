package dev.warden.agent.context;

import dev.warden.receipts.ExcerptLocation;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a replay of the receipt log stopped: the last receipt it read, by its place in the queue and by the leaf hash
 * the writer recorded for it (so a log pruned or rewritten since is noticed, not read from the wrong place).
 *
 * @param at       the receipt's excerpt, or null before the first receipt
 * @param leaf     its recorded leaf hash (empty before the first receipt)
 * @param receipts how many receipts the replays up to here read, in all
 */
record LogMark(ExcerptLocation at, byte[] leaf, long receipts) {

    /** Before the first receipt: a replay from here reads the whole log. */
    static final LogMark START = new LogMark(null, new byte[0], 0);

    LogMark {
        leaf = leaf.clone();
    }

    @Override
    public byte[] leaf() {
        return leaf.clone();
    }

    boolean isStart() {
        return at == null;
    }

    /** Whether {@code recorded}, the leaf hash stored with the excerpt at {@link #at}, is this mark's. */
    boolean isLeaf(byte[] recorded) {
        return Arrays.equals(leaf, recorded);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogMark mark && Objects.equals(at, mark.at) && Arrays.equals(leaf, mark.leaf)
                && receipts == mark.receipts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, Arrays.hashCode(leaf), receipts);
    }

    @Override
    public String toString() {
        return isStart() ? "the log's start" : "receipt " + receipts + " at " + at;
    }
}
