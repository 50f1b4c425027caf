package dev.warden.rules;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reading the values of a policy file, with messages that say where a value is wrong. */
public final class PolicyYaml {

    private PolicyYaml() {
    }

    public static Map<?, ?> map(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a mapping");
        }
        return (Map<?, ?>) value;
    }

    public static List<?> list(Object value, String what) {
        if (!(value instanceof List)) {
            throw new IllegalArgumentException(what + " must be a list");
        }
        return (List<?>) value;
    }

    public static String text(Object value, String what) {
        if (!(value instanceof String) || ((String) value).isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-empty text");
        }
        return ((String) value).trim();
    }

    /** A count: a whole number above zero. */
    public static long count(Object value, String what) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
            throw new IllegalArgumentException(what + " must be a whole number above zero, not '" + value + "'");
        }
        return ((Number) value).longValue();
    }

    /** An amount of money or a price: a number at or above zero, read exactly as written. */
    public static BigDecimal amount(Object value, String what) {
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException(what + " must be a number, not '" + value + "'");
        }
        BigDecimal amount = new BigDecimal(value.toString());
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
        return amount;
    }

    public static void onlyKeys(Map<?, ?> entry, Collection<String> allowed, String where) {
        for (Object key : entry.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                throw new IllegalArgumentException("unknown key '" + key + "' in " + where + " (expected " + String.join(", ", allowed) + ")");
            }
        }
    }
}
