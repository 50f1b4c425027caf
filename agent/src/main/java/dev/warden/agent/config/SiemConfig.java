package dev.warden.agent.config;

import dev.warden.receipts.siem.SiemFormat;

import java.nio.file.Path;

/**
 * Where decisions and checkpoints are streamed for a SIEM ({@code siem=}): nowhere, stdout, a file
 * rotated by size, or a syslog receiver.
 *
 * @param file     the file ({@code siem=file:PATH}), or null
 * @param stdout   {@code siem=stdout}
 * @param syslog   the receiver ({@code siem=syslog://HOST:PORT} or {@code syslog+tcp://HOST:PORT}), or null
 * @param maxBytes a file rotates before it grows past this
 * @param files    how many files are kept, the one written included
 */
public record SiemConfig(Path file, boolean stdout, SyslogAddress syslog, SiemFormat format, long maxBytes, int files) {

    public static final SiemConfig OFF = new SiemConfig(null, false, null, SiemFormat.ECS, 0, 1);

    public boolean enabled() {
        return stdout || file != null || syslog != null;
    }
}
