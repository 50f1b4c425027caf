package dev.warden.bootstrap.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Which parameter values Warden knows exactly, and their canonical text. Known: JDK value types
 * that are immutable and whose class is exactly the JDK's (a subclass of {@code BigDecimal} could answer
 * one thing to Warden and another to the driver), strings without unpaired surrogates (which UTF-8
 * cannot tell apart), and byte arrays and dates once copied. Everything else is unknown.
 * Bootstrap code cannot link against {@code java.sql}: its types are recognised by name.
 */
final class ParameterValues {

    /** Final, immutable JDK types whose {@code toString} is their canonical text. */
    private static final Set<String> BY_TO_STRING = Set.of(
            "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte", "java.lang.Boolean",
            "java.lang.Character", "java.math.BigInteger", "java.util.UUID", "java.net.URL",
            "java.time.Instant", "java.time.LocalDate", "java.time.LocalTime", "java.time.LocalDateTime",
            "java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.ZonedDateTime", "java.time.Duration",
            "java.sql.JDBCType");
    /** {@code <class name>:} of the integral types, digested before their decimal text. */
    private static final java.util.Map<String, byte[]> INTEGRAL_PREFIXES = java.util.Map.of(
            "java.lang.Integer", "java.lang.Integer:".getBytes(StandardCharsets.US_ASCII),
            "java.lang.Long", "java.lang.Long:".getBytes(StandardCharsets.US_ASCII),
            "java.lang.Short", "java.lang.Short:".getBytes(StandardCharsets.US_ASCII),
            "java.lang.Byte", "java.lang.Byte:".getBytes(StandardCharsets.US_ASCII));
    /** Mutable JDK date types: copied, and written as milliseconds since the epoch (a Timestamp with its nanos). */
    private static final Set<String> DATES = Set.of("java.util.Date", "java.sql.Date", "java.sql.Time", "java.sql.Timestamp");

    private ParameterValues() {
    }

    /** Warden's own copy of a mutable value it knows, else the value itself. */
    static Object ownCopy(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value != null && DATES.contains(value.getClass().getName())) {
            return ((java.util.Date) value).clone(); // exactly the JDK's class: clone copies a Timestamp's nanos too
        }
        return value;
    }

    static boolean known(Object value) {
        if (value == null || value instanceof byte[]) {
            return true;
        }
        String type = value.getClass().getName();
        if (type.equals("java.lang.String")) {
            return wellFormed((String) value);
        }
        if (type.equals("java.lang.Character")) {
            return !Character.isSurrogate((Character) value); // a lone surrogate encodes as '?', as '?' does
        }
        return type.equals("java.math.BigDecimal") || type.equals("java.lang.Float") || type.equals("java.lang.Double")
                || BY_TO_STRING.contains(type) || DATES.contains(type);
    }

    /** One field of the encoding: {@code null}, or {@code <class name>:<text>} (raw bytes for a byte array). */
    static void write(DigestBuffer sha, Object value) {
        if (value == null) {
            BoundParameters.field(sha, "null");
            return;
        }
        String type = value.getClass().getName();
        if (value instanceof byte[] bytes) {
            byte[] prefix = (type + ":").getBytes(StandardCharsets.US_ASCII);
            BoundParameters.length(sha, prefix.length + (long) bytes.length);
            sha.put(prefix);
            sha.put(bytes);
            return;
        }
        if (INTEGRAL_PREFIXES.containsKey(type)) {
            // The commonest values (ids), digested without building their text: the same bytes as below.
            long n = ((Number) value).longValue();
            byte[] prefix = INTEGRAL_PREFIXES.get(type);
            BoundParameters.length(sha, prefix.length + (long) Decimal.length(n));
            sha.put(prefix);
            Decimal.write(sha, n);
            return;
        }
        BoundParameters.field(sha, type + ":" + text(value, type));
    }

    private static String text(Object value, String type) {
        switch (type) {
            case "java.lang.String":
                return (String) value;
            case "java.math.BigDecimal":
                BigDecimal decimal = (BigDecimal) value;
                return decimal.unscaledValue() + "e" + (-(long) decimal.scale());
            case "java.lang.Float":
                return String.format(java.util.Locale.ROOT, "%08x", Float.floatToIntBits((Float) value));
            case "java.lang.Double":
                return String.format(java.util.Locale.ROOT, "%016x", Double.doubleToLongBits((Double) value));
            case "java.sql.Timestamp":
                java.time.Instant instant = ((java.util.Date) value).toInstant();
                return instant.getEpochSecond() + "." + String.format(java.util.Locale.ROOT, "%09d", instant.getNano()); // ASCII digits in any locale
            default:
                return DATES.contains(type) ? Long.toString(((java.util.Date) value).getTime()) : value.toString();
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
