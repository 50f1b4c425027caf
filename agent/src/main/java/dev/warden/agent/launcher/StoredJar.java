package dev.warden.agent.launcher;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;

/**
 * Reads an entry of an unpacked jar. The build stores the nested jars uncompressed and unsigned
 * ({@code dev.warden.agent.packaging.UnsignedStoredJar}), so an entry's bytes are read, never inflated or verified.
 */
final class StoredJar {

    private StoredJar() {
    }

    /**
     * An entry's content read into one array of its recorded size: {@code readAllBytes} fills 8 or 16 KiB buffers and
     * copies them out, for each of the ~700 classes a start defines before the host's {@code main}.
     */
    static byte[] readEntry(InputStream in, ZipEntry entry) throws IOException {
        long size = entry.getSize();
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            return in.readAllBytes();
        }
        byte[] content = new byte[(int) size];
        if (in.readNBytes(content, 0, content.length) != content.length) {
            throw new EOFException(entry.getName() + " is shorter than the " + size + " bytes its entry records");
        }
        return content;
    }
}
