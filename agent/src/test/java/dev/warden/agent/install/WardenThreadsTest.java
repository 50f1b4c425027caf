package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Warden thread's actions pass ungated, so nothing of the host's may run on it through the public {@link Thread}
 * API: its {@code run()} from another thread, or an uncaught-exception handler set on it. (The host JVM's side of the
 * first: {@code WardenClassesAreNoSwitchEndToEndTest}, technique {@code warden-thread-run-sql}.)
 */
class WardenThreadsTest {

    private final WardenThreads threads = new WardenThreads(null);

    @Test
    void itsWorkRunsOnItselfAloneNotOnACallerOfRun() {
        AtomicBoolean ran = new AtomicBoolean();
        Thread warden = threads.newThread("test", () -> ran.set(true));

        assertThatThrownBy(warden::run).isInstanceOf(IllegalStateException.class);
        assertThat(ran).isFalse();
    }

    @Test
    void whatItsWorkThrowsReachesNoUncaughtExceptionHandler() throws InterruptedException {
        List<Throwable> handed = new CopyOnWriteArrayList<>();
        Thread warden = threads.newThread("test", () -> {
            throw new IllegalStateException("Warden's work failed");
        });
        warden.setUncaughtExceptionHandler((thread, thrown) -> handed.add(thrown)); // as any code may, on any thread

        warden.start();
        warden.join();

        assertThat(handed).isEmpty();
    }
}
