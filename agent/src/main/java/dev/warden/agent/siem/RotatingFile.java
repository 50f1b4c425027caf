package dev.warden.agent.siem;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code siem=file:PATH}: JSON lines appended to PATH; before a line would take it past the size limit,
 * PATH becomes PATH.1 (PATH.1 becomes PATH.2, ...) and the oldest beyond the number kept is deleted,
 * the way log shippers expect (they follow PATH and read rotated files to their end).
 */
final class RotatingFile implements SiemOutput {
    private final Path file;
    private final long maxBytes;
    private final int files;
    private OutputStream out;
    private long size;

    RotatingFile(Path file, long maxBytes, int files) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.files = files;
    }

    @Override
    public void write(SiemEvent event) throws IOException {
        byte[] bytes = (event.json() + "\n").getBytes(StandardCharsets.UTF_8);
        if (out == null) {
            open();
        }
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        out.write(bytes);
        size += bytes.length;
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        close();
        Files.deleteIfExists(rotated(files - 1));
        for (int i = files - 2; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (files > 1) {
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
        open();
    }

    /** PATH.n; PATH itself for 0. */
    Path rotated(int n) {
        return n == 0 ? file : file.resolveSibling(file.getFileName() + "." + n);
    }
}
