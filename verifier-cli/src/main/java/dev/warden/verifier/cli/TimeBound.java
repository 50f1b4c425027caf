package dev.warden.verifier.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A time bound of {@code query}: an instant, a date-time with an offset, or a date (its start, UTC). */
final class TimeBound implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
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
                    throw new TypeConversionException("'" + value + "' is not a time: write 2026-11-22T09:00:00Z, "
                            + "2026-11-22T10:00:00+01:00 or 2026-11-22");
                }
            }
        }
    }
}
