package dev.warden.agent.packaging;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
 * Rewrites a jar to nest in the agent jar uncompressed and unsigned, at build time ({@link PackNestedJars}): the
 * launcher then unpacks it by copying its bytes, and each start reads its classes without inflating them, and a
 * signed library (Bouncy Castle's provider jar) without verifying its signature and every class's digest, which
 * loaded a hundred certificate and signature classes for it. Warden trusts its nested jars as it trusts the agent jar
 * they come from; no library it runs needs its own signature (Bouncy Castle is used through its API, not as a JCE
 * provider). Entries, their order, names and times are kept, and so is the manifest, less the per-entry digests only a
 * signature needs.
 */
final class UnsignedStoredJar {

    // As the JDK reads them, in any case: a signature file kept beside a manifest without its digests would fail
    // verification and make every class of the jar unloadable.
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)|META-INF/SIG-[^/]+",
            Pattern.CASE_INSENSITIVE);

    private static final int BUFFER = 1 << 16;

    private UnsignedStoredJar() {
    }

    /** Writes the jar read from {@code in} to {@code file}. */
    static void write(InputStream in, Path file) throws IOException {
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
        manifest.getEntries().values().removeIf(UnsignedStoredJar::onlyDigests);
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
