package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** When ByteBuddy's install alongside the host's start begins. */
class InstallStartTest {

    private static final Duration NOW = Duration.ZERO;
    private static final Duration LONG = Duration.ofMinutes(1);

    @Test
    void itBeginsOnceMainIsLetGoNotBefore() throws Exception {
        InstallStart start = new InstallStart(false, Set.of(Thread.currentThread()));

        assertThat(start.await(NOW)).as("main still on its way to the host's").isFalse();
        start.mainLetGo();
        assertThat(start.await(NOW)).isTrue();
    }

    @Test
    void aLoadWaitingOnAnyThreadBeginsItAtOnce() throws Exception {
        InstallStart start = new InstallStart(false, Set.of(Thread.currentThread()));

        CompletableFuture.runAsync(start::loadWaits).join(); // a thread that is not starting Warden

        assertThat(start.await(NOW)).as("nothing may wait on a load that waits on the install").isTrue();
    }

    @Test
    void mainWaitingForTheWholeInstallBeginsIt() throws Exception {
        InstallStart start = new InstallStart(true, Set.of(Thread.currentThread()));

        start.mainWaits();

        assertThat(start.await(NOW)).as("even under install-gate, or main would wait forever").isTrue();
    }

    @Test
    void underTheInstallGateNeitherMainLetGoNorAnotherThreadsLoadBeginsIt() throws Exception {
        InstallStart start = new InstallStart(true, Set.of(new Thread(() -> { })));

        start.mainLetGo();
        CompletableFuture.runAsync(start::loadWaits).join();

        assertThat(start.await(NOW)).isFalse();
    }

    @Test
    void underTheInstallGateTheHostsMainsFirstWaitingLoadBeginsIt() throws Exception {
        CompletableFuture<InstallStart> started = new CompletableFuture<>();
        Thread main = new Thread(() -> started.join().loadWaits());
        InstallStart start = new InstallStart(true, Set.of(main));
        started.complete(start);

        main.start();
        main.join();

        assertThat(start.await(LONG)).isTrue();
    }
}
