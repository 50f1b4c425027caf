package dev.warden.receipts;

/**
 * Told of every checkpoint the log signs, e.g. to send it to witnesses or copy it elsewhere. Called
 * on the thread that signed it: the background signer, {@link ReceiptLog#close()}, or in strict mode
 * the appending thread itself, so it must hand the checkpoint off and return, never block.
 */
public interface CheckpointListener {

    void signed(NewCheckpoint checkpoint);

    /**
     * Called once by {@link ReceiptLog#close()} after the last checkpoint and before the queue closes:
     * the last moment to {@link ReceiptLog#recordCosigned record cosignatures}. May block briefly.
     */
    default void closing() {
    }
}
