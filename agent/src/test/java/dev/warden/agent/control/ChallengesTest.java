package dev.warden.agent.control;

import dev.warden.agent.record.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengesTest {
    private static final byte[] KEY = HexFormat.of().parseHex("0f".repeat(32));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T02:00:00Z"));
    private final Challenges challenges = new Challenges(KEY, clock);

    @Test
    void aNonceIsTakenOnceAndOnlyWhileValid() {
        String nonce = challenges.issue();
        assertThat(challenges.take(nonce)).isTrue();
        assertThat(challenges.take(nonce)).as("used").isFalse();

        String late = challenges.issue();
        clock.advance(Challenges.VALID.plusSeconds(1));
        assertThat(challenges.take(late)).as("too old").isFalse();
        assertThat(challenges.take(null)).isFalse();
        assertThat(challenges.take("never-issued")).isFalse();
    }

    @Test
    void onlyTheKeysHolderMakesOneNotAnotherKeyNorAnEditedOne() {
        String theirs = new Challenges(HexFormat.of().parseHex("1f".repeat(32)), clock).issue();
        assertThat(challenges.take(theirs)).isFalse();
        String nonce = challenges.issue();
        String[] parts = nonce.split("\\.");
        String younger = Long.toHexString(Long.parseLong(parts[0], 16) + 60) + "." + parts[1] + "." + parts[2] + "." + parts[3];
        assertThat(challenges.take(younger)).as("its time edited").isFalse();
        String later = parts[0] + "." + Long.toHexString(Long.parseLong(parts[1], 16) + 1) + "." + parts[2] + "." + parts[3];
        assertThat(challenges.take(later)).as("its generation edited").isFalse();
        assertThat(challenges.take(nonce)).isTrue();
        assertThat(new Challenges(null, clock).take(new Challenges(null, clock).issue())).as("no key, no nonce").isFalse();
    }

    @Test
    void aSwitchMadeSpendsEveryNonceIssuedBeforeItSoAProofKeptBackCannotBeSentLater() {
        String keptBack = challenges.issue();
        challenges.spendAll();
        String fresh = challenges.issue();

        assertThat(challenges.take(keptBack)).isFalse();
        assertThat(challenges.take(fresh)).isTrue();
    }

    @Test
    void askingForManyForgetsNoneForNoneIsKeptUntilASwitchIsSignedOverIt() {
        String first = challenges.issue();
        for (int i = 0; i < 10_000; i++) {
            challenges.issue();
        }
        assertThat(challenges.take(first)).isTrue();
    }
}
