package dev.warden.agent.context;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.ZoneId;

/**
 * State another stage rebuilds from the receipt log in the context stage's replay (the approval stage's tier counts,
 * which go into the store, and its open and closed requests, which it keeps beside the store): one read of the log
 * brings both forward, and the state snapshot keeps both, so neither stage replays the whole log at a restart.
 */
public interface ReplayedState {

    ReplayedState NONE = new ReplayedState() {
        @Override
        public String fingerprint() {
            return "none";
        }

        @Override
        public void replay(PastAction past, long nowMillis) {
        }

        @Override
        public void writeTo(DataOutputStream out, long nowMillis) {
        }

        @Override
        public void restore(DataInputStream in, long nowMillis) {
        }

        @Override
        public void clear() {
        }
    };

    /** What its replay counts by and its build: a snapshot made under anything else is not used. */
    String fingerprint();

    /** Counts an action the log recorded, as of {@code nowMillis}. */
    void replay(PastAction past, long nowMillis);

    /** Writes what it holds beside the store at {@code nowMillis}, for a later start to {@link #restore}. */
    void writeTo(DataOutputStream out, long nowMillis) throws IOException;

    /**
     * Takes on what {@link #writeTo} wrote, in place of what it held.
     *
     * @throws IOException when the bytes are not such state
     */
    void restore(DataInputStream in, long nowMillis) throws IOException;

    /** Forgets what a replay made (beside the store, which is cleared on its own): the replay starts over. */
    void clear();

    /**
     * Makes the state a replay into {@code store} rebuilds, for state rules counting windows in {@code zone}: the live
     * stage's, for the context stage's replay at a start.
     */
    @FunctionalInterface
    interface Over {

        Over NONE = (store, zone) -> ReplayedState.NONE;

        ReplayedState over(StateStore store, ZoneId zone);
    }

    /**
     * The same, but state of its own at each call, never a live stage's: what a pass that brings the snapshot forward
     * replays into while the stages decide (a type of its own, so a live one cannot be handed to the keeper).
     */
    @FunctionalInterface
    interface Apart {

        Apart NONE = (store, zone) -> ReplayedState.NONE;

        ReplayedState over(StateStore store, ZoneId zone);
    }
}
