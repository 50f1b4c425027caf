package dev.warden.agent.siem;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code siem=stdout}: the process's standard output itself (file descriptor 1, whatever the host did
 * to {@code System.out}), one write per line so a line is never split by the host's own output.
 */
final class StdoutOutput implements SiemOutput {
    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

    @Override
    public void write(SiemEvent event) throws IOException {
        out.write((event.json() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
        // unbuffered
    }

    @Override
    public void close() {
        // the host's stdout stays open
    }
}
