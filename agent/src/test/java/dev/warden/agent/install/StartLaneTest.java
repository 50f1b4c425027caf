package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Warden's start work beside the host's takes turns, in the order given, a core left to the host. */
class StartLaneTest {

    @Test
    void oneAtATimeTheyRunInTheOrderGivenWhateverOrderTheirThreadsStartIn() throws Exception {
        StartLane lane = new StartLane(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Runnable> turns = List.of("install", "rules", "engine", "jars").stream()
                .<Runnable>map(name -> lane.inTurn(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    ran.add(name);
                    running.decrementAndGet();
                }))
                .toList();
        List<Thread> threads = List.of(new Thread(turns.get(3)), new Thread(turns.get(1)), new Thread(turns.get(2)),
                new Thread(turns.get(0)));

        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        }

        assertThat(ran).containsExactly("install", "rules", "engine", "jars");
        assertThat(most).hasValue(1);
    }

    @Test
    void aWiderLaneRunsAsManyAtOnceAndALaterTurnWaitsForAPlace() throws Exception {
        StartLane lane = new StartLane(2);
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        Runnable first = lane.inTurn(() -> holdUntil("first", ran, bothRunning, release));
        Runnable second = lane.inTurn(() -> holdUntil("second", ran, bothRunning, release));
        Runnable third = lane.inTurn(() -> ran.add("third"));
        Thread thirdThread = new Thread(third);
        thirdThread.start();
        new Thread(second).start();
        new Thread(first).start();

        assertThat(bothRunning.await(1, TimeUnit.MINUTES)).as("two at once").isTrue();
        assertThat(ran).containsExactlyInAnyOrder("first", "second");
        release.countDown();
        thirdThread.join(TimeUnit.MINUTES.toMillis(1));

        assertThat(ran).hasSize(3).endsWith("third");
    }

    @Test
    void aTurnThatThrowsGivesItsPlaceOn() throws Exception {
        StartLane lane = new StartLane(1);
        Runnable failing = lane.inTurn(() -> {
            throw new IllegalStateException("the install failed");
        });
        CountDownLatch after = new CountDownLatch(1);
        Runnable next = lane.inTurn(after::countDown);
        Thread failingThread = new Thread(failing);
        failingThread.setUncaughtExceptionHandler((thread, failure) -> { });

        new Thread(next).start();
        failingThread.start();

        assertThat(after.await(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void aSkippedTurnLetsTheTurnsAfterItGoOn() throws Exception {
        StartLane lane = new StartLane(1);
        StartLane.Turn first = lane.inTurn(() -> { });
        StartLane.Turn unstarted = lane.inTurn(() -> { });
        CountDownLatch after = new CountDownLatch(1);
        Thread last = new Thread(lane.inTurn(after::countDown));
        last.start();
        first.run();

        assertThat(after.await(50, TimeUnit.MILLISECONDS)).as("behind a turn taken and not run").isFalse();
        unstarted.skip();
        assertThat(after.await(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void byDefaultItLeavesOneProcessorToTheHostAndRunsOneAtLeast() {
        assertThat(new StartLane().width()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    private static void holdUntil(String name, List<String> ran, CountDownLatch running, CountDownLatch release) {
        ran.add(name);
        running.countDown();
        try {
            release.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
