package dev.warden.agent.cli;

import dev.warden.receipts.TimeBounds;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;

/** {@code --from}/{@code --to} as {@code warden-verify query} takes them. */
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
