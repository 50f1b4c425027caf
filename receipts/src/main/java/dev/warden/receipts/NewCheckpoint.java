package dev.warden.receipts;

import java.util.List;

/**
 * A checkpoint the log has just signed and written, with what a witness needs to check it against
 * the previous one.
 *
 * @param note             the signed note as written to the log
 * @param checkpoint       its parsed body
 * @param previousSize     the size of the previous checkpoint this log wrote (0 for the first one)
 * @param previousFrontier the tree frontier at {@code previousSize}
 * @param appended         the leaf hashes appended since {@code previousSize}, in order
 */
public record NewCheckpoint(SignedNote note, Checkpoint checkpoint, long previousSize,
                            List<byte[]> previousFrontier, List<byte[]> appended) {
    public NewCheckpoint {
        previousFrontier = List.copyOf(previousFrontier);
        appended = List.copyOf(appended);
    }

    /**
     * The RFC 9162 consistency proof from {@code previousSize} to this size, made when asked: the signer's thread
     * tells every checkpoint to its listeners, and most of them never need one (it re-hashes every leaf appended since).
     */
    public List<byte[]> proof() {
        return ConsistencyProofs.prove(previousSize, previousFrontier, appended);
    }
}
