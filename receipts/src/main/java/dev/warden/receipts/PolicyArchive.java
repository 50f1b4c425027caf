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

    /** The archived bundle, if there is one (its hash is not checked here). */
    public Optional<byte[]> read(String version) throws IOException {
        if (!Hex.isSha256(version)) {
            return Optional.empty();
        }
        Path file = file(version);
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    public Path file(String version) {
        return directory.resolve(version + SUFFIX);
    }
}
