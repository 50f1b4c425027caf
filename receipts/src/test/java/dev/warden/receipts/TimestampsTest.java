package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampsTest {

    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
            .withZone(ZoneOffset.UTC);

    @Test
    void everyInstantIsSpelledAsTheReferenceFormatterSpellsIt() {
        SplittableRandom random = new SplittableRandom(17);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            // Runs of instants close together (one day spelled once, then reused) and jumps between far days.
            long second = i % 100 == 0 ? random.nextLong(first, last + 1) : random.nextLong(first, last + 1) / 86_400 * 86_400
                    + random.nextLong(-2, 86_402);
            Instant t = Instant.ofEpochSecond(Math.max(first, Math.min(last, second)), random.nextInt(1_000_000_000));
            assertThat(Timestamps.format(t)).isEqualTo(REFERENCE.format(t));
        }
    }

    @Test
    void theEdgesOfADayAndOfTheFourDigitYears() {
        for (String time : new String[] {"1969-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00.000000000Z",
                "2024-02-29T12:00:00.000000001Z", "0000-01-01T00:00:00.000000000Z", "9999-12-31T23:59:59.999999999Z"}) {
            assertThat(Timestamps.format(Instant.parse(time))).isEqualTo(time);
        }
        assertThatThrownBy(() -> Timestamps.format(Instant.parse("+10000-01-01T00:00:00Z"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Timestamps.format(Instant.parse("-0001-12-31T23:59:59Z"))).isInstanceOf(IllegalArgumentException.class);
    }
}
