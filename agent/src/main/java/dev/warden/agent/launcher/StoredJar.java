package dev.warden.agent.launcher;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes a nested jar to the unpack cache uncompressed and unsigned: each start then reads its classes
 * without inflating them, and a signed library (Bouncy Castle's provider jar) without verifying its signature
 * and every class's digest on every start, which loaded a hundred certificate and signature classes for it.
 * Warden trusts its nested jars as it trusts the agent jar they come from; no library it runs needs its own
 * signature (Bouncy Castle is used through its API, not as a JCE provider). Entries, their order, names and
 * times are kept, and so is the manifest, less the per-entry digests only a signature needs.
 */
final class StoredJar {

    // As the JDK reads them, in any case: a signature file kept beside a manifest without its digests would fail
    // verification and make every class of the jar unloadable.
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)|META-INF/SIG-[^/]+",
            Pattern.CASE_INSENSITIVE);

    private static final int BUFFER = 1 << 16;

    private StoredJar() {
    }

    /** Copies the jar read from {@code in} to {@code file}; returns the size written. */
    static long write(InputStream in, Path file) throws IOException {
        try (ZipInputStream jar = new ZipInputStream(new BufferedInputStream(in, BUFFER));
             OutputStream written = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
             ZipOutputStream out = new ZipOutputStream(written)) {
            out.setMethod(ZipOutputStream.STORED);
            for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                String name = entry.getName();
                if (SIGNATURE.matcher(name).matches()) {
                    continue;
                }
                byte[] content = jar.readAllBytes();
                if (name.equals(JarFile.MANIFEST_NAME)) {
                    content = withoutDigests(content);
                }
                out.putNextEntry(stored(entry, content));
                out.write(content);
                out.closeEntry();
            }
        }
        return Files.size(file);
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

    private static ZipEntry stored(ZipEntry original, byte[] content) {
        ZipEntry entry = new ZipEntry(original.getName());
        entry.setMethod(ZipEntry.STORED);
        entry.setTime(original.getTime());
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        return entry;
    }

    /** The manifest less the per-entry sections that hold nothing but digests. */
    private static byte[] withoutDigests(byte[] content) throws IOException {
        Manifest manifest = new Manifest(new ByteArrayInputStream(content));
        manifest.getEntries().values().removeIf(StoredJar::onlyDigests);
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
        manifest.write(out);
        return out.toByteArray();
    }

    private static boolean onlyDigests(Attributes section) {
        for (Map.Entry<Object, Object> attribute : section.entrySet()) {
            if (!attribute.getKey().toString().endsWith("-Digest")) {
                return false;
            }
        }
        return true;
    }
}
