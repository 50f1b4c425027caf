package dev.warden.receipts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a small file of the receipts directory whole, only when it is a regular file (a link is followed only to one)
 * of at most a given size: whoever can write the directory can put a FIFO there (a read that never returns), a link to
 * {@code /dev/zero} (one that never ends) or a sparse file of a terabyte in its place.
 */
public final class BoundedFiles {
    private BoundedFiles() {
    }

    /** @throws IOException naming what the file is instead, or its size, when it is no regular file or longer than {@code max} */
    public static byte[] read(Path file, int max) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new IOException(file.getFileName() + " is not a regular file (" + (a.isDirectory() ? "a directory"
                    : a.isOther() ? "a FIFO, device or socket" : "not a file") + "): not read");
        }
        if (a.size() > max) {
            throw new IOException(file.getFileName() + " holds " + a.size() + " bytes, more than the " + max + " it may: not read");
        }
        // Read with the bound too: the file may have grown, or been swapped, since its attributes were read.
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IOException(file.getFileName() + " holds more than the " + max + " bytes it may: not read");
            }
            return bytes;
        }
    }
}
