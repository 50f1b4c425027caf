package dev.warden.agent.context;

import dev.warden.rules.state.StatePolicy;

import java.util.function.Consumer;

/** The actions recorded before this process started, oldest first. */
public interface History {

    History NONE = each -> { };

    /**
     * Hands every recorded action to {@code each}.
     *
     * @throws RuntimeException when the record cannot be read
     */
    void replay(Consumer<PastAction> each);

    /**
     * Hands {@code each} the recorded actions the store does not hold yet, for the state rules of {@code policy}:
     * all of them, unless this history brings the store forward by itself first (from a snapshot made under the
     * same rules).
     *
     * @throws RuntimeException when the record cannot be read
     */
    default void replay(StatePolicy policy, Consumer<PastAction> each) {
        replay(each);
    }
}
