package dev.warden.receipts;

import java.util.List;
import java.util.function.Supplier;

/**
 * Folds newly appended leaf hashes into the tree and, when the tree grew, signs and writes a
 * checkpoint. Called by the background signer, at close, and inside append in strict mode;
 * serialised on itself because the tree is not thread-safe.
 */
final class Checkpointer {
    /** Writes a signed note and the tree frontier it was made from as one queue excerpt. */
    interface Sink {
        void write(SignedNote note, List<byte[]> frontier);
    }

    private final String origin;
    private final SigningKey key;
    private final CompactRange tree;
    private final Supplier<List<byte[]>> newLeaves;
    private final Sink sink;
    private volatile long checkpointedSize;
    private long previousSize; // the size of the last checkpoint written, named by the next one

    Checkpointer(String origin, SigningKey key, CompactRange tree, Supplier<List<byte[]>> newLeaves, Sink sink) {
        this.origin = origin;
        this.key = key;
        this.tree = tree;
        this.newLeaves = newLeaves;
        this.sink = sink;
        this.checkpointedSize = tree.size();
        this.previousSize = tree.size();
    }

    synchronized void checkpoint() {
        newLeaves.get().forEach(tree::append);
        if (tree.size() == checkpointedSize) {
            return;
        }
        Checkpoint body = Checkpoint.following(origin, tree.size(), Hex.of(tree.root()), previousSize);
        sink.write(SignedNote.sign(body.body(), origin, key), tree.frontier());
        checkpointedSize = tree.size();
        previousSize = tree.size();
    }

    long checkpointedSize() {
        return checkpointedSize;
    }
}
