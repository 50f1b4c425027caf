package dev.warden.agent.context;

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
     * Counts the recorded actions the store does not hold yet into {@code contributors}, as of {@code nowMillis}: all
     * of them, unless this history brings the store forward by itself first (from a snapshot made under the same
     * state rules).
     *
     * @return how many recorded actions it counted
     * @throws RuntimeException when the record cannot be read
     */
    default long replay(StateContributors contributors, long nowMillis) {
        long[] counted = {0};
        replay(past -> {
            counted[0]++;
            contributors.replay(past, nowMillis);
        });
        return counted[0];
    }
}
