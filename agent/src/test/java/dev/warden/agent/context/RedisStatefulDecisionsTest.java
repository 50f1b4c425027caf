package dev.warden.agent.context;

import dev.warden.agent.config.StateLocation;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every decision of {@link StatefulDecisionsTest} again — limits, loops, chains, budgets, and 64
 * threads with 1,000 sessions racing one limit and one budget — with the state in the real Redis on
 * 127.0.0.1:6379 (leasing in front, as Warden runs it; these limits are small enough to be exact to
 * the unit, so every check goes to Redis), under key prefixes of this test's own that it deletes afterwards. Each store gets a
 * prefix of its own, as if each were a Redis of its own: the restart test rebuilds an empty one from
 * the receipt log (Warden itself never replays the log into a shared store; it keeps the counts).
 */
class RedisStatefulDecisionsTest extends StatefulDecisionsTest {

    static final StateLocation SHARED = new StateLocation("127.0.0.1", 6379, 0);

    private final String prefix = "warden-test-" + UUID.randomUUID();
    private final List<RedisStateStore> stores = new ArrayList<>();

    @Override
    StateStore store(LongSupplier millis) {
        // A generous timeout: this test is about atomicity; RedisStateStoreTest holds the store to 50 ms.
        RedisStateStore store = new RedisStateStore(SHARED, Duration.ofSeconds(10), prefix + "-" + stores.size() + ":", millis);
        stores.add(store);
        return new LeasingStateStore(store, millis); // as Warden composes them

    }

    /**
     * With the state shared, the calls of other JVMs may be in flight unseen: a call that looks alone here reserves its
     * bound too (with an in-process store the first call reserved its estimate, 500 + 256).
     */
    @Override
    @Test
    void callsInFlightTogetherReserveTheMostTheirInputCanCost() throws Exception {
        WardenEngine engine = engine(STATE.replace("tokens: 50000000", "tokens: 10000"));
        Decision first = engine.decide(cjk("s2"));
        Decision second = engine.decide(cjk("s2"));

        assertThat(first.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(second.reason()).isEqualTo("budget session-tokens: 6256 + 6256 > 10000 in total for session s2");
        engine.observe(first.receiptId(), "model", "usage", usage("s2", 2_000, 256));
        assertThat(engine.decide(cjk("s2")).outcome()).as("2256 spent, and the next call's bound fits").isEqualTo(Outcome.PERMIT);
    }

    @AfterEach
    void deleteKeys() {
        stores.forEach(RedisStateStore::close);
        RedisKeys.delete(SHARED, prefix + "-");
    }
}
