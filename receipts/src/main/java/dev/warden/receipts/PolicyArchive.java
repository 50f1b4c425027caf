package dev.warden.receipts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Content-addressed copies of the policy bundles that decided something:
 * {@code policies/<lowercase hex SHA-256>.bundle}, so a verifier can check that the version a receipt
 * names exists and is what it claims.
 */
public final class PolicyArchive {
    static final String DIRECTORY = "policies";
    private static final String SUFFIX = ".bundle";
    /**
     * The largest bundle read back: far above any policy (rules and approver keys, a few KB to a few MB), and what a
     * reader may hold in memory. A longer file, or one that is no regular file, is not read (a FIFO held the verifier).
     */
    public static final int MAX_BUNDLE_BYTES = 64 << 20;

    private final Path directory;

    public PolicyArchive(Path receiptsDirectory) {
        this.directory = receiptsDirectory.resolve(DIRECTORY);
    }

    /** Stores {@code bundle} as {@code version}; idempotent. Rejects bytes whose hash is not the version. */
    public void archive(String version, byte[] bundle) throws IOException {
        if (!Hex.isSha256(version)) {
            throw new IllegalArgumentException("a policy version is a lowercase hex SHA-256, not " + version);
        }
        String actual = Hex.of(Sha256.of(bundle));
        if (!actual.equals(version)) {
            throw new IllegalArgumentException("bundle hashes to " + actual + ", not to version " + version);
        }
        Path target = file(version);
        if (Files.exists(target) && Arrays.equals(Files.readAllBytes(target), bundle)) {
            return;
        }
        AtomicFile.replace(target, bundle); // a crash leaves no bundle or the whole bundle, never a prefix
    }

    /**
     * The archived bundle, if there is one (its hash is not checked here).
     *
     * @throws IOException when it is there but is no regular file or longer than {@link #MAX_BUNDLE_BYTES}, or unreadable
     */
    public Optional<byte[]> read(String version) throws IOException {
        if (!Hex.isSha256(version)) {
            return Optional.empty();
        }
        Path file = file(version);
        return Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? Optional.of(BoundedFiles.read(file, MAX_BUNDLE_BYTES)) : Optional.empty();
    }

    /** Every archived version whose name starts with {@code prefix} (lowercase hex), sorted. */
    public java.util.List<String> versionsStartingWith(String prefix) throws IOException {
        java.util.List<String> versions = new java.util.ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return versions;
        }
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String version = name.substring(0, name.length() - SUFFIX.length());
                if (Hex.isSha256(version) && version.startsWith(prefix)) {
                    versions.add(version);
                }
            }
        }
        versions.sort(null);
        return versions;
    }

    /**
     * The one archived version {@code prefix} names.
     *
     * @throws IllegalArgumentException naming the problem when none or several do, or it is no hex prefix
     */
    public String resolve(String prefix) throws IOException {
        if (prefix == null || !prefix.matches("[0-9a-f]{1,64}")) {
            throw new IllegalArgumentException("a policy version is lowercase hex (a prefix is enough), not '" + prefix + "'");
        }
        java.util.List<String> versions = versionsStartingWith(prefix);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("no archived policy version starts with " + prefix + " in " + directory);
        }
        if (versions.size() > 1) {
            throw new IllegalArgumentException(versions.size() + " archived policy versions start with " + prefix + ": "
                    + String.join(", ", versions.stream().map(v -> v.substring(0, 16)).toList()) + " (give more of it)");
        }
        return versions.get(0);
    }

    public Path file(String version) {
        return directory.resolve(version + SUFFIX);
    }
}
