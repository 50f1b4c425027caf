package dev.warden.agent.siem;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(2), now::get);

    private void advance(long millis) {
        now.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    @Test
    void tryAtOnceThenWaitLongerAfterEveryFailureUpToTheLongest() {
        assertThat(backoff.due()).isTrue();
        backoff.failed();
        assertThat(backoff.due()).isFalse();
        advance(499);
        assertThat(backoff.due()).isFalse();
        advance(1);
        assertThat(backoff.due()).isTrue();

        backoff.failed();                 // 1 s
        advance(999);
        assertThat(backoff.due()).isFalse();
        advance(1);
        assertThat(backoff.due()).isTrue();
        backoff.failed();                 // 2 s
        advance(1_999);
        assertThat(backoff.due()).isFalse();
        advance(1);
        backoff.failed();                 // still 2 s: the longest
        advance(1_999);
        assertThat(backoff.due()).isFalse();
        advance(1);
        assertThat(backoff.due()).isTrue();
    }

    @Test
    void aSuccessStartsOver() {
        backoff.failed();
        backoff.failed();
        backoff.succeeded();
        assertThat(backoff.due()).isTrue();
        backoff.failed();
        advance(500);
        assertThat(backoff.due()).isTrue();
    }

    @Test
    void theClockMayStartAnywhere() {
        now.set(Long.MAX_VALUE - 100); // System.nanoTime() may be near overflow
        backoff.failed();
        advance(499);
        assertThat(backoff.due()).isFalse();
        advance(1);
        assertThat(backoff.due()).isTrue();
    }
}
