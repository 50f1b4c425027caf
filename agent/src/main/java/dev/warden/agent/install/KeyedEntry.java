package dev.warden.agent.install;

import dev.warden.rules.cache.CacheDirectory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One entry of a {@link CacheDirectory} that is for one purpose (a JDK, launch options, Warden build and modules): its
 * name says what kind of entry and which purpose, and what it holds is given back only when its MAC, under the
 * directory's key, matches that purpose (its length first, so no purpose's end can pass for the payload's start).
 */
final class KeyedEntry {

    private final CacheDirectory directory;
    private final byte[] magic;
    private final byte[] purpose;
    private final String name;
    private final String suffix;
    private final int kept;
    private final String kind;

    /**
     * @param prefix and {@code suffix}: the entry's name around the purpose's digest
     * @param kept   entries of this suffix kept in the directory, the most recently used
     * @param kind   what such an entry is, for the reasons it is rejected
     */
    KeyedEntry(CacheDirectory directory, String purpose, String prefix, String suffix, String magic, int kept, String kind) {
        this.directory = directory;
        this.purpose = purpose.getBytes(StandardCharsets.UTF_8);
        this.magic = magic.getBytes(StandardCharsets.US_ASCII);
        this.name = prefix + HexFormat.of().formatHex(JdkTransforms.digest(this.purpose), 0, 16) + suffix;
        this.suffix = suffix;
        this.kept = kept;
        this.kind = kind;
    }

    Path file() {
        return directory.file(name);
    }

    /** What a read found: the payload, nothing (both null), or why the entry was rejected. */
    record Read(byte[] payload, String rejected) {
    }

    Read read() {
        byte[] bytes;
        try {
            bytes = directory.read(name);
        } catch (IOException e) {
            return new Read(null, file() + " is unreadable (" + e + ")");
        }
        if (bytes == null) {
            return new Read(null, null);
        }
        int header = magic.length + CacheDirectory.MAC_BYTES;
        if (bytes.length < header || !MessageDigest.isEqual(Arrays.copyOf(bytes, magic.length), magic)) {
            return new Read(null, file() + " is not a Warden " + kind);
        }
        byte[] mac = Arrays.copyOfRange(bytes, magic.length, header);
        byte[] payload = Arrays.copyOfRange(bytes, header, bytes.length);
        try {
            if (!MessageDigest.isEqual(mac, mac(payload))) {
                return new Read(null, file() + " does not match its MAC (changed since it was written, or written for "
                        + "another JDK, build or key)");
            }
        } catch (GeneralSecurityException e) {
            return new Read(null, file() + " cannot be checked (" + e + ")");
        }
        directory.markUsed(name);
        return new Read(payload, null);
    }

    void write(byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
        try {
            bytes.write(magic);
            bytes.write(mac(payload));
            bytes.write(payload);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot compute the MAC of " + file(), e);
        }
        directory.write(name, bytes.toByteArray(), suffix, kept);
    }

    /** The entry for another kind of thing kept for the same purpose. */
    KeyedEntry sibling(String prefix, String suffix, String magic, int kept, String kind) {
        return new KeyedEntry(directory, new String(purpose, StandardCharsets.UTF_8), prefix, suffix, magic, kept, kind);
    }

    private byte[] mac(byte[] payload) throws GeneralSecurityException {
        return directory.mac(magic, java.nio.ByteBuffer.allocate(4).putInt(purpose.length).array(), purpose, payload);
    }
}
