package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.Bindings;

import java.security.MessageDigest;

/**
 * A SHA-256 fed through a small buffer. The bound parameters' encoding is a run of fields of a few bytes each
 * (a length, a colon, a setter's name, the digits of an id), and a {@link MessageDigest} call per byte cost more
 * than hashing them: the buffer hands the digest one block of bytes instead. Large values (a byte array bound
 * as a BLOB) go to the digest directly. Not thread-safe: each thread keeps its own.
 */
final class DigestBuffer {

    private static final int SIZE = 512;

    private final MessageDigest sha = Bindings.sha256();
    private final byte[] buffer = new byte[SIZE];
    private int length;

    /** Empties the buffer and restarts the digest. */
    DigestBuffer reset() {
        length = 0;
        sha.reset();
        return this;
    }

    void put(byte b) {
        if (length == SIZE) {
            flush();
        }
        buffer[length++] = b;
    }

    void put(byte[] bytes) {
        if (bytes.length > SIZE - length) {
            flush();
            if (bytes.length > SIZE) {
                sha.update(bytes);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /** Lowercase hex of the digest of everything put since the last reset; the digest restarts. */
    String hex() {
        flush();
        return Bindings.hexDigest(sha);
    }

    private void flush() {
        sha.update(buffer, 0, length);
        length = 0;
    }
}
