package dev.warden.verifier.cli;

import dev.warden.receipts.TimeBounds;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;

/** A time bound of {@code query}: an instant, a date-time with an offset, or a date (its start, UTC). */
final class TimeBound implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return TimeBounds.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
