package dev.warden.rules.state;

import java.math.BigDecimal;
import java.time.ZoneId;

/**
 * A spending or token budget of model calls ({@code budgets:}).
 *
 * @param cost   the most that may be spent in a window, in the pricing's currency; null for a token budget
 * @param tokens the most tokens (in and out) in a window; 0 for a cost budget
 */
public record Budget(String name, Per per, BigDecimal cost, long tokens, Window window, ZoneId zone) {

    public boolean countsCost() {
        return cost != null;
    }

    /** The budget in what it counts: nano-dollars or tokens. */
    public long max() {
        return cost != null ? cost.movePointRight(9).longValueExact() : tokens;
    }
}
