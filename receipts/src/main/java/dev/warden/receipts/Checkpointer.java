package dev.warden.receipts;

import java.util.ArrayList;
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
    private final CheckpointListener listener; // nullable
    private volatile long checkpointedSize;
    // What the listener needs to prove consistency with the last written checkpoint; kept only with a listener.
    private List<byte[]> signedFrontier;
    private final List<byte[]> sinceSigned = new ArrayList<>();

    Checkpointer(String origin, SigningKey key, CompactRange tree, Supplier<List<byte[]>> newLeaves, Sink sink,
                 CheckpointListener listener) {
        this.origin = origin;
        this.key = key;
        this.tree = tree;
        this.newLeaves = newLeaves;
        this.sink = sink;
        this.listener = listener;
        this.checkpointedSize = tree.size();
        this.signedFrontier = listener == null ? null : tree.frontier();
    }

    synchronized void checkpoint() {
        checkpoint(null);
    }

    /**
     * Signs with {@code nextKey} too (null: only with the log's key): the checkpoint that covers a key
     * rotation receipt carries both signatures, so the key period it opens is vouched for by the one it closes.
     */
    synchronized void checkpoint(SigningKey nextKey) {
        List<byte[]> leaves = newLeaves.get();
        leaves.forEach(tree::append);
        if (listener != null) {
            sinceSigned.addAll(leaves);
        }
        if (tree.size() == checkpointedSize) {
            return;
        }
        // Each checkpoint names the size of the one before it, so a deleted checkpoint leaves a gap.
        Checkpoint body = Checkpoint.following(origin, tree.size(), Hex.of(tree.root()), checkpointedSize);
        SignedNote note = SignedNote.sign(body.body(), origin, key);
        if (nextKey != null) {
            List<NoteSignature> both = new ArrayList<>(note.signatures());
            both.addAll(SignedNote.sign(body.body(), origin, nextKey).signatures());
            note = new SignedNote(note.text(), both);
        }
        List<byte[]> frontier = tree.frontier();
        sink.write(note, frontier);
        long previousSize = checkpointedSize;
        checkpointedSize = tree.size();
        if (listener != null) {
            tell(new NewCheckpoint(note, body, previousSize, signedFrontier, sinceSigned));
            signedFrontier = frontier;
            sinceSigned.clear();
        }
    }

    long checkpointedSize() {
        return checkpointedSize;
    }

    private void tell(NewCheckpoint checkpoint) {
        try {
            listener.signed(checkpoint);
        } catch (RuntimeException e) {
            // A listener's failure is its own: the checkpoint is written, and signing goes on.
        }
    }
}
