package dev.warden.agent.config;

import dev.warden.receipts.siem.SiemFormat;

import java.nio.file.Path;

/**
 * Where decisions and checkpoints are streamed for a SIEM ({@code siem=}): nowhere, stdout, or a file
 * rotated by size.
 *
 * @param file     the file ({@code siem=file:PATH}), or null
 * @param stdout   {@code siem=stdout}
 * @param maxBytes a file rotates before it grows past this
 * @param files    how many files are kept, the one written included
 */
public record SiemConfig(Path file, boolean stdout, SiemFormat format, long maxBytes, int files) {

    public static final SiemConfig OFF = new SiemConfig(null, false, SiemFormat.ECS, 0, 1);

    public boolean enabled() {
        return stdout || file != null;
    }
}
