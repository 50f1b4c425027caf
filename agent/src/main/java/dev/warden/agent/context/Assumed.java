package dev.warden.agent.context;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reading the values a policy test gives the context stage's facts, with messages naming the fact. */
final class Assumed {

    private Assumed() {
    }

    static long count(String name, Object value) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
            throw new IllegalArgumentException(name + " must be a whole number at or above zero, not '" + value + "'");
        }
        return ((Number) value).longValue();
    }

    static BigDecimal amount(String name, Object value) {
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
        }
        BigDecimal amount = new BigDecimal(value.toString());
        if (amount.signum() < 0 || amount.scale() > 9) {
            throw new IllegalArgumentException(name + " must be at or above zero with at most nine decimals, not '" + value + "'");
        }
        return amount;
    }

    static Set<String> names(String name, Object value) {
        if (!(value instanceof Collection<?> values)) {
            throw new IllegalArgumentException(name + " must be a list of names, not '" + value + "'");
        }
        Set<String> names = new LinkedHashSet<>();
        values.forEach(element -> names.add(String.valueOf(element)));
        return names;
    }
}
