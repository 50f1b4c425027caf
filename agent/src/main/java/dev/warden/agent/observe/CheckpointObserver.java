package dev.warden.agent.observe;

import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;

/**
 * Passes every signed checkpoint to a second listener as well (telemetry beside the witnesses), so
 * that the log's one listener can be both.
 */
public record CheckpointObserver(CheckpointListener first, CheckpointListener second) implements CheckpointListener {

    /** Both when both are there, else whichever is (or null). */
    public static CheckpointListener of(CheckpointListener first, CheckpointListener second) {
        return first == null ? second : second == null ? first : new CheckpointObserver(first, second);
    }

    @Override
    public void signed(NewCheckpoint checkpoint) {
        first.signed(checkpoint);
        second.signed(checkpoint);
    }

    @Override
    public void closing() {
        first.closing();
        second.closing();
    }
}
