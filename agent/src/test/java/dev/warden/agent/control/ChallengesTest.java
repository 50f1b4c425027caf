package dev.warden.agent.control;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengesTest {
    private final MovableClock clock = new MovableClock();
    private final Challenges challenges = new Challenges(clock);

    @Test
    void aNonceIsTakenOnceAndOnlyWhileValid() {
        String nonce = challenges.issue();
        assertThat(challenges.take(nonce)).isTrue();
        assertThat(challenges.take(nonce)).as("used").isFalse();

        String late = challenges.issue();
        clock.now = clock.now.plus(Challenges.VALID).plusSeconds(1);
        assertThat(challenges.take(late)).as("too old").isFalse();
        assertThat(challenges.take(null)).isFalse();
        assertThat(challenges.take("never-issued")).isFalse();
    }

    @Test
    void askingForManyForgetsTheOldestFirst() {
        List<String> issued = new ArrayList<>();
        for (int i = 0; i <= Challenges.MOST; i++) {
            issued.add(challenges.issue());
        }
        assertThat(challenges.take(issued.get(0))).isFalse();
        assertThat(challenges.take(issued.get(1))).isTrue();
        assertThat(challenges.take(issued.get(Challenges.MOST))).isTrue();
    }

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-06T02:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
