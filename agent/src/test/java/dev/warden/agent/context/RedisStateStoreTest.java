package dev.warden.agent.context;

import dev.warden.agent.config.StateLocation;
import dev.warden.rules.state.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis store against real servers: the shared one on 127.0.0.1:6379 (under a prefix of this
 * test's own, deleted afterwards) and, for outages, a redis-server the test starts and stops.
 */
class RedisStateStoreTest {

    private static final StateLocation SHARED = RedisStatefulDecisionsTest.SHARED;
    private static final Duration TIMEOUT = Duration.ofMillis(50);
    private static final Window MINUTE = Window.parse("1m");

    private final String prefix = "warden-test-" + UUID.randomUUID() + ":";
    private final AtomicLong now = new AtomicLong(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        RedisKeys.delete(SHARED, prefix);
    }

    private RedisStateStore store(StateLocation location, Duration timeout) {
        RedisStateStore store = new RedisStateStore(location, timeout, prefix, now::get);
        closing.add(store);
        return store;
    }

    private Window.Span minute() {
        return MINUTE.span(Instant.ofEpochMilli(now.get()), ZoneOffset.UTC);
    }

    @Test
    void aCounterIsOneHashUnderThePrefixWithAFieldPerBucketThatLivesAsLongAsItsNewestBucketCounts() {
        RedisStateStore store = store(SHARED, TIMEOUT);
        Window.Span span = minute();
        assertThat(store.acquire("limit:ops:actor:a", span, 3, 10).granted()).isTrue();
        now.addAndGet(1_000);
        assertThat(store.acquire("limit:ops:actor:a", minute(), 2, 10).granted()).isTrue();

        try (Jedis redis = new Jedis(SHARED.host(), SHARED.port())) {
            assertThat(redis.hgetAll(prefix + "limit:ops:actor:a"))
                    .isEqualTo(Map.of(Long.toString(span.current()), "3", Long.toString(span.current() + 1), "2"));
            // 61 buckets of a second from the newest one: 60 s of counting left, plus the bucket being filled.
            assertThat(redis.pttl(prefix + "limit:ops:actor:a")).isBetween(60_000L, 61_000L);
        }
        assertThat(store.total("limit:ops:actor:a", minute())).isEqualTo(5);
        assertThat(RedisKeys.under(SHARED, prefix)).containsExactly(prefix + "limit:ops:actor:a");
    }

    @Test
    void anAcquireThatWouldPassTheMaximumChangesNothingAndSaysWhatWasCounted() {
        RedisStateStore store = store(SHARED, TIMEOUT);
        assertThat(store.acquire("k", minute(), 8, 10)).isEqualTo(new StateStore.Acquisition(true, 0, minute().current()));
        assertThat(store.acquire("k", minute(), 3, 10)).isEqualTo(new StateStore.Acquisition(false, 8, minute().current()));
        assertThat(store.acquire("k", minute(), 2, 10)).isEqualTo(new StateStore.Acquisition(true, 8, minute().current()));
        assertThat(store.total("k", minute())).isEqualTo(10);
    }

    @Test
    void bucketsOlderThanTheWindowStopCountingAndAreDropped() {
        RedisStateStore store = store(SHARED, TIMEOUT);
        long first = minute().current();
        store.acquire("k", minute(), 10, 10);
        now.addAndGet(61_000);
        assertThat(store.acquire("k", minute(), 10, 10).granted()).as("a minute and a sixtieth later").isTrue();
        try (Jedis redis = new Jedis(SHARED.host(), SHARED.port())) {
            assertThat(redis.hkeys(prefix + "k")).doesNotContain(Long.toString(first));
        }
    }

    @Test
    void aHeldLabelIsTheSessionsAtOnceAndSettlingKeepsOrTakesBackOnlyItsOwn() {
        RedisStateStore store = store(SHARED, TIMEOUT);
        store.holdLabels("session:s", List.of("pii"), "a1");
        assertThat(store.labels("session:s")).as("in flight, or its settling failed").containsExactly("pii");
        store.holdLabels("session:s", List.of("pii"), "a2");
        store.settleLabels("session:s", List.of("pii"), "a1", false);
        assertThat(store.labels("session:s")).as("a2 still holds it").containsExactly("pii");
        store.settleLabels("session:s", List.of("pii"), "a2", true);
        try (Jedis redis = new Jedis(SHARED.host(), SHARED.port())) {
            assertThat(redis.smembers(prefix + "labels:session:s")).containsExactly("pii");
            assertThat(redis.pttl(prefix + "labels:session:s")).isGreaterThan(6 * 24 * 3_600_000L);
        }
        store.holdLabels("session:t", List.of("pii", "finance"), "a3");
        assertThat(store.labels("session:t")).containsExactlyInAnyOrder("pii", "finance");
        store.settleLabels("session:t", List.of("pii", "finance"), "a3", false);
        assertThat(store.labels("session:t")).as("a refused action taints no session").isEmpty();
    }

    @Test
    void aClockPutBackStillCountsTheNewerBucketsInTheAcquireAndInTheTotal() {
        RedisStateStore store = store(SHARED, TIMEOUT);
        store.acquire("k", minute(), 3, 10);
        now.addAndGet(-62_000);
        assertThat(store.acquire("k", minute(), 8, 10)).as("the acquire").isEqualTo(
                new StateStore.Acquisition(false, 3, minute().current()));
        assertThat(store.total("k", minute())).as("what rules read and receipts say").isEqualTo(3);
    }

    @Test
    void settlingNeverGoesBelowZeroAndIgnoresABucketThatNoLongerCounts() {
        RedisStateStore store = store(SHARED, TIMEOUT);
        Window.Span span = minute();
        StateStore.Acquisition taken = store.acquire("k", span, 4, 10);
        store.adjust("k", taken.bucket(), span.expiresAtMillis(), -1);
        assertThat(store.total("k", minute())).isEqualTo(3);
        store.adjust("k", taken.bucket(), span.expiresAtMillis(), -7);
        assertThat(store.total("k", minute())).isZero();
        store.adjust("k", taken.bucket(), span.expiresAtMillis(), 6);
        assertThat(store.total("k", minute())).as("a model call that used more than it reserved").isEqualTo(6);

        now.set(span.expiresAtMillis());
        store.adjust("k", taken.bucket(), span.expiresAtMillis(), 5);
        now.set(span.expiresAtMillis() - 1);
        assertThat(store.total("k", span)).as("nothing added to a bucket that stopped counting").isEqualTo(6);
    }

    @Test
    void aCountForEverHasNoExpiryAndACalendarDayExpiresAtItsEnd() {
        RedisStateStore store = store(SHARED, TIMEOUT);
        store.acquire("budget:tokens:session:s", Window.FOREVER.span(Instant.ofEpochMilli(now.get()), ZoneOffset.UTC), 5, 100);
        Window.Span day = Window.parse("1d").span(Instant.ofEpochMilli(now.get()), ZoneOffset.UTC);
        store.acquire("budget:spend:session:s", day, 5, 100);
        try (Jedis redis = new Jedis(SHARED.host(), SHARED.port())) {
            assertThat(redis.pttl(prefix + "budget:tokens:session:s")).isEqualTo(-1);
            assertThat(redis.pttl(prefix + "budget:spend:session:s")).isBetween(13 * 3_600_000L, 14 * 3_600_000L);
        }
    }

    @Test
    void aSessionsLabelsAreASetKeptForAWeekAndCapped() {
        RedisStateStore store = store(SHARED, TIMEOUT);
        assertThat(store.labels("session:s")).isEmpty();
        store.addLabels("session:s", List.of("pii"));
        store.addLabels("session:s", List.of("pii", "finance"));
        assertThat(store.labels("session:s")).containsExactlyInAnyOrder("pii", "finance");
        store.addLabels("session:s", java.util.stream.IntStream.range(0, 100).mapToObj(i -> "l" + i).toList());
        assertThat(store.labels("session:s")).hasSize(65).contains(StateStore.TOO_MANY_LABELS, "pii", "finance")
                .filteredOn(label -> label.startsWith("l")).hasSize(62);
        try (Jedis redis = new Jedis(SHARED.host(), SHARED.port())) {
            assertThat(redis.pttl(prefix + "labels:session:s")).isBetween(Duration.ofDays(7).toMillis() - 60_000, Duration.ofDays(7).toMillis());
        }
    }

    @Test
    void twoStoresLikeTwoJvmsRacingOneLimitGetExactlyTheLimit() throws Exception {
        List<RedisStateStore> jvms = List.of(store(SHARED, Duration.ofSeconds(10)), store(SHARED, Duration.ofSeconds(10)));
        ExecutorService threads = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            RedisStateStore store = jvms.get(t % 2);
            work.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    if (store.acquire("limit:race", minute(), 1, 777).granted()) {
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
        assertThat(granted).hasValue(777);
        assertThat(jvms.get(0).total("limit:race", minute())).isEqualTo(777);
    }

    @Test
    void anUnreachableStoreIsReportedQuicklyNamingWhy() throws Exception {
        int closedPort;
        try (ServerSocket nobody = new ServerSocket(0)) {
            closedPort = nobody.getLocalPort();
        }
        RedisStateStore store = store(new StateLocation("127.0.0.1", closedPort, 0), TIMEOUT);
        long started = System.nanoTime();
        assertThatThrownBy(() -> store.acquire("k", minute(), 1, 10))
                .isInstanceOf(StateStoreException.class).hasMessageStartingWith("unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(store.describe()).isEqualTo("redis://127.0.0.1:" + closedPort);
    }

    @Test
    void aStoreSlowerThanTheTimeoutIsAnsweredByARefusalWithinAboutTheTimeout() throws Exception {
        // Accepts connections and never answers: Redis stuck, or a black hole on the way.
        ServerSocket silent = new ServerSocket(0);
        closing.add(silent);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        RedisStateStore store = store(new StateLocation("127.0.0.1", silent.getLocalPort(), 0), TIMEOUT);
        long started = System.nanoTime();
        assertThatThrownBy(() -> store.acquire("k", minute(), 1, 10))
                .isInstanceOf(StateStoreException.class).hasMessage("no answer within 50 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void whenTheServerStopsCallsFailAndWhenItIsBackTheyAnswerWithoutANewStore() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        RedisServer server = RedisServer.start(port);
        closing.add(server);
        RedisStateStore store = store(new StateLocation("127.0.0.1", port, 0), Duration.ofSeconds(2));
        assertThat(store.acquire("k", minute(), 1, 10).granted()).isTrue();
        store.addLabels("session:s", List.of("pii"));

        server.stop();
        assertThatThrownBy(() -> store.acquire("k", minute(), 1, 10)).isInstanceOf(StateStoreException.class);
        assertThatThrownBy(() -> store.labels("session:s")).isInstanceOf(StateStoreException.class);

        server.start();
        assertThat(store.acquire("k", minute(), 1, 10)).as("a new, empty server: the script is sent again")
                .isEqualTo(new StateStore.Acquisition(true, 0, minute().current()));
        assertThat(store.labels("session:s")).isEmpty();
    }

    @Test
    void theClientStartsNoThreadOfItsOwn() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        RedisStateStore store = store(SHARED, TIMEOUT);
        store.ping();
        store.acquire("k", minute(), 1, 10);
        store.labels("session:s");
        Set<String> started = Thread.getAllStackTraces().keySet().stream().filter(thread -> !before.contains(thread))
                .map(Thread::getName).collect(Collectors.toSet());
        assertThat(started).isEmpty();
    }
}
