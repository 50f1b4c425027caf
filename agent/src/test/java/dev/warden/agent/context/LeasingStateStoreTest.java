package dev.warden.agent.context;

import dev.warden.agent.config.StateLocation;
import dev.warden.rules.state.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slices of high-volume limits, over the real Redis on 127.0.0.1:6379 (under a prefix of this
 * test's own, deleted afterwards): how many round trips they save, and that JVMs sharing a limit
 * still get exactly the limit between them.
 */
class LeasingStateStoreTest {

    private static final StateLocation SHARED = RedisStatefulDecisionsTest.SHARED;
    private static final Window MINUTE = Window.parse("1m");

    private final String prefix = "warden-test-" + UUID.randomUUID() + ":";
    private final AtomicLong now = new AtomicLong(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
    private final List<StateStore> stores = new ArrayList<>();
    /** The shared store's round trips that acquire, as the leasing stores make them. */
    private final AtomicInteger roundTrips = new AtomicInteger();

    @AfterEach
    void cleanUp() {
        stores.forEach(StateStore::close);
        RedisKeys.delete(SHARED, prefix);
    }

    /** A JVM's store: leasing over its own connections to the one Redis. */
    private LeasingStateStore jvm() {
        LeasingStateStore store = new LeasingStateStore(new Counting(new RedisStateStore(SHARED, Duration.ofSeconds(10), prefix, now::get)),
                now::get);
        stores.add(store);
        return store;
    }

    private Window.Span minute() {
        return MINUTE.span(Instant.ofEpochMilli(now.get()), ZoneOffset.UTC);
    }

    @Test
    void aThousandActionsUnderAHighLimitCostSixteenRoundTripsNotAThousand() {
        LeasingStateStore store = jvm();
        for (int i = 0; i < 1000; i++) {
            StateStore.Acquisition taken = store.acquire("limit:high", minute(), 1, 1_000_000);
            assertThat(taken.granted()).isTrue();
            assertThat(taken.before()).as("the count the receipt shows").isEqualTo(i);
        }
        assertThat(roundTrips).hasValue(16); // slices of 64
        assertThat(store.total("limit:high", minute())).as("the store counts whole slices").isEqualTo(16 * 64);
    }

    @Test
    void smallLimitsLoopsAndBudgetsAskTheStoreEachTime() {
        LeasingStateStore store = jvm();
        for (int i = 0; i < 10; i++) {
            store.acquire("limit:s6", minute(), 1, 100);
            store.acquire("budget:spend", minute(), 1_000, 1_000_000_000);
            store.acquire("limit:daily", Window.parse("1d").span(Instant.ofEpochMilli(now.get()), ZoneOffset.UTC), 1, 1_000_000);
        }
        assertThat(roundTrips).hasValue(30);
        assertThat(store.total("limit:s6", minute())).isEqualTo(10);
    }

    @Test
    void whatASliceDidNotUseIsGivenBackWhenTheBucketChanges() {
        LeasingStateStore store = jvm();
        Window.Span first = minute();
        store.acquire("limit:high", first, 1, 1_000_000);
        now.addAndGet(1_000); // the next bucket of a one-minute window
        store.acquire("limit:high", minute(), 1, 1_000_000);
        assertThat(store.total("limit:high", minute())).isEqualTo(1 + 64);
        // A total counts the buckets newer than its span's too (a clock put back): the first bucket is the difference.
        Window.Span second = minute();
        long fromFirst = store.total("limit:high", new Window.Span(first.current(), first.current(), first.expiresAtMillis()));
        long fromSecond = store.total("limit:high", new Window.Span(second.current(), second.current(), second.expiresAtMillis()));
        assertThat(fromFirst - fromSecond).as("the first bucket keeps the one unit it used").isEqualTo(1);
    }

    @Test
    void aUnitGivenBackReturnsToTheSlice() {
        LeasingStateStore store = jvm();
        StateStore.Acquisition taken = store.acquire("limit:high", minute(), 1, 1_000_000);
        store.adjust("limit:high", taken.bucket(), minute().expiresAtMillis(), -1);
        for (int i = 0; i < 64; i++) {
            store.acquire("limit:high", minute(), 1, 1_000_000);
        }
        assertThat(roundTrips).as("64 units from the first slice").hasValue(1);
    }

    @Test
    void twoJvmsRacingOneLeasedLimitGetExactlyTheLimitBetweenThem() throws Exception {
        List<LeasingStateStore> jvms = List.of(jvm(), jvm());
        ExecutorService threads = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        List<Future<?>> work = new ArrayList<>();
        // Each JVM alone wants more than the limit (16 x 400 = 6,400 > 5,000): no slice is left unused.
        for (int t = 0; t < 32; t++) {
            LeasingStateStore store = jvms.get(t % 2);
            work.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 400; i++) {
                    if (store.acquire("limit:race", minute(), 1, 5_000).granted()) {
                        granted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> done : work) {
            done.get();
        }
        threads.shutdown();
        assertThat(granted).hasValue(5_000);
        assertThat(jvms.get(0).total("limit:race", minute())).isEqualTo(5_000);
    }

    /** Counts the acquires that reach the real store. */
    private final class Counting implements StateStore {
        private final StateStore store;

        Counting(StateStore store) {
            this.store = store;
        }

        @Override
        public Acquisition acquire(String key, Window.Span span, long amount, long max) {
            roundTrips.incrementAndGet();
            return store.acquire(key, span, amount, max);
        }

        @Override
        public void adjust(String key, long bucket, long expiresAtMillis, long delta) {
            store.adjust(key, bucket, expiresAtMillis, delta);
        }

        @Override
        public long total(String key, Window.Span span) {
            return store.total(key, span);
        }

        @Override
        public Set<String> labels(String session) {
            return store.labels(session);
        }

        @Override
        public void addLabels(String session, Collection<String> labels) {
            store.addLabels(session, labels);
        }

        @Override
        public String describe() {
            return store.describe();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
