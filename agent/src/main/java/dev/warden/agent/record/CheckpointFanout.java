package dev.warden.agent.record;

import dev.warden.receipts.CheckpointListener;
import dev.warden.receipts.NewCheckpoint;

import java.util.List;
import java.util.Objects;

/** The log tells one listener of its checkpoints: this one tells several, in order (witnesses first, whose cosignatures others copy). */
public final class CheckpointFanout implements CheckpointListener {
    private final List<CheckpointListener> listeners;

    private CheckpointFanout(List<CheckpointListener> listeners) {
        this.listeners = listeners;
    }

    /** The listeners that are not null; null when there are none. */
    public static CheckpointListener of(CheckpointListener... listeners) {
        List<CheckpointListener> present = java.util.Arrays.stream(listeners).filter(Objects::nonNull).toList();
        return present.isEmpty() ? null : present.size() == 1 ? present.get(0) : new CheckpointFanout(present);
    }

    @Override
    public void signed(NewCheckpoint checkpoint) {
        listeners.forEach(listener -> listener.signed(checkpoint));
    }

    @Override
    public void closing() {
        listeners.forEach(CheckpointListener::closing);
    }
}
