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
        for (int day = 0; day < 10_000; day++) {
            // Ten instants of one day in a row (its date spelled once, then reused), then a jump to a far day.
            long start = Math.floorDiv(random.nextLong(first, last + 1), 86_400L) * 86_400L;
            for (int i = 0; i < 10; i++) {
                Instant t = Instant.ofEpochSecond(start + random.nextLong(86_400L), random.nextInt(1_000_000_000));
                assertThat(Timestamps.format(t)).isEqualTo(REFERENCE.format(t));
            }
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
