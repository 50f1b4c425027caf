package dev.warden.jmh.sessions;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatenciesTest {

    @Test
    void mergesEverySessionsRecordedValuesAndNothingElse() {
        Latencies a = new Latencies(3);
        a.record(30);
        a.record(10);
        Latencies b = new Latencies(2);
        b.record(20);

        assertThat(Latencies.merged(List.of(a, b))).containsExactly(10, 20, 30);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[1000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }

        assertThat(Latencies.percentile(sorted, 0.50)).isEqualTo(500);
        assertThat(Latencies.percentile(sorted, 0.99)).isEqualTo(990);
        assertThat(Latencies.percentile(sorted, 0.999)).isEqualTo(999);
        assertThat(Latencies.percentile(sorted, 1.0)).isEqualTo(1000);
        assertThat(Latencies.percentile(new long[] {7}, 0.999)).isEqualTo(7);
    }

    @Test
    void aTailOfOneInAThousandShowsAtP999() {
        long[] sorted = new long[1000];
        java.util.Arrays.fill(sorted, 5);
        sorted[999] = 900;

        assertThat(Latencies.percentile(sorted, 0.999)).isEqualTo(5);
        sorted[998] = 900;
        assertThat(Latencies.percentile(sorted, 0.999)).isEqualTo(900);
    }

    @Test
    void noValuesHaveNoPercentile() {
        assertThatThrownBy(() -> Latencies.percentile(new long[0], 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
