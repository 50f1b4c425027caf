package dev.warden.agent.context;

import java.util.List;
import java.util.function.Consumer;

/** A history that notes how many recorded actions it handed over at each start: what a test of restarts asserts on. */
final class CountingHistory implements History {

    private final History history;
    private final List<Integer> replayed;

    CountingHistory(History history, List<Integer> replayed) {
        this.history = history;
        this.replayed = replayed;
    }

    @Override
    public void replay(Consumer<PastAction> each) {
        history.replay(each);
    }

    @Override
    public long replay(StateContributors contributors, long nowMillis) {
        long count = history.replay(contributors, nowMillis);
        replayed.add((int) count);
        return count;
    }
}
