package dev.warden.receipts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A time bound as the commands over receipts take it: an instant, a date-time with an offset, or a date (its start, UTC). */
public final class TimeBounds {
    private TimeBounds() {
    }

    /**
     * @throws IllegalArgumentException when {@code value} is none of those, naming the forms
     */
    public static Instant parse(String value) {
        String text = value.trim();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notWithOffset) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notADate) {
                    throw new IllegalArgumentException("'" + value + "' is not a time: write 2026-11-22T09:00:00Z, "
                            + "2026-11-22T10:00:00+01:00 or 2026-11-22");
                }
            }
        }
    }
}
