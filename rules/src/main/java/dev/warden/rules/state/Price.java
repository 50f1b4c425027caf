package dev.warden.rules.state;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A model's price per million tokens, and the output it may produce when a request does not say.
 * Kept exactly as nano-dollars per token (a price per million tokens times 1,000); a price with more
 * than three decimals is rounded up, so an estimate is never lower than the written price gives.
 */
public record Price(BigDecimal input, BigDecimal output, long maxOutput) {

    public long inputNanosPerToken() {
        return nanosPerToken(input);
    }

    public long outputNanosPerToken() {
        return nanosPerToken(output);
    }

    /** The cost of {@code inputTokens} in and {@code outputTokens} out, in nano-dollars. */
    public long costNanos(long inputTokens, long outputTokens) {
        return Math.addExact(Math.multiplyExact(Math.max(inputTokens, 0), inputNanosPerToken()),
                Math.multiplyExact(Math.max(outputTokens, 0), outputNanosPerToken()));
    }

    private static long nanosPerToken(BigDecimal perMillion) {
        return perMillion.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
