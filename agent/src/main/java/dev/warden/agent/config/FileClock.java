package dev.warden.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code clock=file:PATH}: Warden's time is the instant written in a file (ISO-8601, e.g.
 * {@code 2026-12-01T10:00:00Z}), read at every question, so a test moves a host's time by writing the
 * file: a day passes for an approval window without anybody sleeping a day. While the file cannot be
 * read the last instant read stands (time never runs backwards because of a half-written file).
 */
public final class FileClock extends Clock {

    private final Path file;
    private volatile Instant last;

    public FileClock(Path file) {
        this.file = file;
        this.last = read(Instant.now());
    }

    @Override
    public Instant instant() {
        Instant now = read(last);
        last = now;
        return now;
    }

    private Instant read(Instant otherwise) {
        try {
            return Instant.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | DateTimeParseException e) {
            return otherwise;
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("Warden's clock is UTC");
    }
}
