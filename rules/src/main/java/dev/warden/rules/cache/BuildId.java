package dev.warden.rules.cache;

import dev.warden.bootstrap.JdkCrypto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What a compiled policy's classes depend on besides the rules: the fact model (Warden's rules jar)
 * and the Drools that generated and will load them. A cached policy from another build is never
 * loaded. Hashes each jar's path, size and modification time rather than its 3 MB of contents: a start
 * asks for it while the host waits for its main (a few tens of milliseconds saved), and a rebuilt jar is
 * written anew (the agent's own jars are unpacked into a directory named after their CRCs, each with the time it
 * was packed with, so that a build unpacked again after a clean-up keys the same). This is a key
 * for compatibility, not for trust: the cache entries' MAC is what makes them trusted.
 */
public final class BuildId {

    private BuildId() {
    }

    /** The build of the jars (or class directories) {@code anchors} were loaded from. */
    public static String of(Class<?>... anchors) {
        try {
            MessageDigest digest = JdkCrypto.sha256();
            for (Class<?> anchor : anchors) {
                digest.update(anchor.getName().getBytes(StandardCharsets.UTF_8));
                Path source = codeSource(anchor);
                if (Files.isRegularFile(source)) {
                    BasicFileAttributes file = Files.readAttributes(source, BasicFileAttributes.class);
                    digest.update((source.toAbsolutePath() + "\n" + file.size() + "\n"
                            + file.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    // A class directory (a development build): the class file's own bytes.
                    digest.update(anchor.getResourceAsStream(anchor.getSimpleName() + ".class").readAllBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot tell which build " + java.util.Arrays.toString(anchors)
                    + " belong to", e instanceof IOException ? e : new IOException(e)));
        }
    }

    private static Path codeSource(Class<?> anchor) throws IOException {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IOException("no code source for " + anchor.getName(), e);
        }
    }
}
