package dev.warden.rules;

import dev.warden.bootstrap.JdkCrypto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The rule files of a policy, as one content-addressed unit. Its version is the SHA-256 of
 * {@link #encoded()}: the magic line {@code warden-policy-bundle/1\n}, then for each file in path
 * order its relative path ('/'-separated, UTF-8), a zero byte, its length as 8 bytes big-endian, and
 * its bytes. Receipts name the version; the archive keeps the encoded bytes so a verifier can
 * recompute it.
 */
public final class PolicyBundle {

    private static final byte[] MAGIC = "warden-policy-bundle/1\n".getBytes(StandardCharsets.US_ASCII);
    /** Far above any rules file a person writes; the verifier reads an archived bundle of at most 64 MiB. */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    private final SortedMap<String, byte[]> files;
    private final byte[] encoded;
    private final String version;

    private PolicyBundle(SortedMap<String, byte[]> files) {
        this.files = java.util.Collections.unmodifiableSortedMap(files); // one view: asked for by every decision that may need approval
        this.encoded = encode(files);
        this.version = sha256Hex(encoded);
    }

    public static PolicyBundle of(Map<String, byte[]> files) {
        return new PolicyBundle(new TreeMap<>(files));
    }

    /**
     * Reads every {@code .drl}, {@code .yaml}/{@code .yml} and {@code .pem} file below {@code directory}.
     * PEM files are the approvers' public keys: they are part of the policy, archived with it so that a
     * verifier can check approvals. A private key there is refused: the archive is evidence others read.
     */
    public static PolicyBundle load(Path directory) throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.filter(path -> !path.equals(directory) && isRuleFile(path) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))::iterator) {
                String relative = directory.relativize(path).toString().replace('\\', '/');
                if (!Files.isRegularFile(path)) {
                    // A link leading nowhere (its target being replaced, a deploy half done) or to no file: skipped, the
                    // rest would have gone into force without it, a policy missing its refusals.
                    throw new IOException(relative + " is not a file that can be read (a link leading nowhere, or no regular file): "
                            + "the policy would be read without it");
                }
                byte[] content = bounded(path, relative);
                if (relative.endsWith(".pem") && new String(content, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY")) {
                    throw new IOException(relative + " is a private key: the rules directory holds approvers' public keys only "
                            + "(openssl pkey -in KEY.pem -pubout), since the policy is archived beside the receipts");
                }
                files.put(relative, content);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // a directory below that cannot be read: an IOException, as every caller expects
        }
        return new PolicyBundle(files);
    }

    /**
     * A rules file's bytes, up to {@link #MAX_FILE_BYTES}: a candidate directory under review (check-rules, test, replay)
     * may hold a sparse file of gigabytes, which read whole ended the run with an {@code OutOfMemoryError}.
     */
    private static byte[] bounded(Path path, String relative) throws IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(relative + " holds " + size + " bytes, more than the " + MAX_FILE_BYTES + " a rules file may: not read");
        }
        try (java.io.InputStream in = Files.newInputStream(path)) {
            byte[] content = in.readNBytes(MAX_FILE_BYTES + 1); // it may have grown since
            if (content.length > MAX_FILE_BYTES) {
                throw new IOException(relative + " holds more than the " + MAX_FILE_BYTES + " bytes a rules file may: not read");
            }
            return content;
        }
    }

    /**
     * The bundle {@link #encoded} bytes hold (an archived policy version): its files, in order.
     *
     * @throws IllegalArgumentException when the bytes are not an encoded bundle
     */
    public static PolicyBundle decode(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        byte[] magic = new byte[MAGIC.length];
        if (encoded.length < MAGIC.length || !java.util.Arrays.equals(magicOf(in, magic), MAGIC)) {
            throw new IllegalArgumentException("not a Warden policy bundle (no warden-policy-bundle/1 header)");
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        while (in.hasRemaining()) {
            int start = in.position();
            while (in.hasRemaining() && in.get() != 0) {
                // the path runs up to its zero byte
            }
            if (in.remaining() < Long.BYTES) {
                throw new IllegalArgumentException("policy bundle cut short at byte " + start);
            }
            String path = new String(encoded, start, in.position() - start - 1, StandardCharsets.UTF_8);
            long length = in.getLong();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("policy bundle file " + path + " claims " + length + " bytes, " + in.remaining() + " left");
            }
            byte[] content = new byte[(int) length];
            in.get(content);
            files.put(path, content);
        }
        return new PolicyBundle(files);
    }

    private static byte[] magicOf(ByteBuffer in, byte[] magic) {
        in.get(magic);
        return magic;
    }

    private static boolean isRuleFile(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".drl") || name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".pem");
    }

    public SortedMap<String, byte[]> files() {
        return files;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** Lowercase hex SHA-256 of the encoded bundle. */
    public String version() {
        return version;
    }

    private static byte[] encode(SortedMap<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        files.forEach((path, content) -> {
            out.writeBytes(path.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(content.length).array());
            out.writeBytes(content);
        });
        return out.toByteArray();
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(JdkCrypto.sha256().digest(bytes));
    }
}
