package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.Bindings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Digit by digit, a number digests exactly as its decimal text would. */
class DecimalTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 7, 9, 10, 99, 100, 1_000, 123_456_789, -1, -10, -987_654_321, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1})
    void digestsLikeItsText(long n) {
        String text = Long.toString(n);
        DigestBuffer digits = new DigestBuffer();
        Decimal.write(digits, n);

        assertThat(Decimal.length(n)).isEqualTo(text.length());
        assertThat(digits.hex()).isEqualTo(Bindings.hex(Bindings.sha256().digest(text.getBytes(StandardCharsets.US_ASCII))));
    }
}
