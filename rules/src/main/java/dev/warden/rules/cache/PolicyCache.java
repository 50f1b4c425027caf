package dev.warden.rules.cache;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Compiled policies kept across starts, one file per (policy version, Warden build, JDK feature
 * version), in a {@link CacheDirectory}. A cached policy is code that will run in the host, so an entry is
 * used only when its MAC matches what the entry says it is for; anything else is rejected and the policy
 * compiled from its rules.
 */
public final class PolicyCache {

    private static final byte[] MAGIC = "warden-policy-cache/1\n".getBytes(StandardCharsets.US_ASCII);
    /** Entries kept: those used most recently. A policy edited over and over must not fill the disk. */
    static final int KEPT = 256; // entries are 30-100 KB; the e2e suite alone uses dozens of policies
    private static final String SUFFIX = ".policy";

    private final CacheDirectory directory;
    private final String build;

    private PolicyCache(CacheDirectory directory, String build) {
        this.directory = directory;
        this.build = build;
    }

    /** One compiled policy: the release it was built as (its class names depend on it) and its kjar. */
    public record Entry(String artifact, byte[] kjar) {
    }

    /** What a look-up found: an entry, nothing, or an entry that failed verification (and why). */
    public record Lookup(Entry entry, String rejected) {
        static Lookup miss() {
            return new Lookup(null, null);
        }
    }

    /**
     * Opens (creating it owner-only when absent) the cache in {@code directory} for the build
     * {@code build} (see {@link BuildId}).
     *
     * @throws IOException when the directory or its key cannot be used safely
     */
    public static PolicyCache open(Path directory, String build) throws IOException {
        return new PolicyCache(CacheDirectory.open(directory), build);
    }

    /**
     * Opens the cache in {@code directory} for this Warden build: its fact model and the Drools jars
     * that generate and load compiled rules.
     */
    public static PolicyCache open(Path directory) throws IOException {
        return open(directory, BuildId.of(dev.warden.rules.PolicyCompiler.class, org.kie.api.KieServices.class,
                org.drools.modelcompiler.CanonicalKieModule.class, org.drools.model.Model.class,
                org.drools.core.impl.RuleBaseFactory.class, org.drools.base.definitions.rule.impl.RuleImpl.class));
    }

    public Path directory() {
        return directory.directory();
    }

    /** The verified entry for {@code version}, a miss, or a rejection naming what was wrong. */
    public Lookup read(String version) {
        Path file = file(version);
        byte[] bytes;
        try {
            bytes = directory.read(name(version));
        } catch (IOException e) {
            return new Lookup(null, file + " is unreadable (" + e + ")");
        }
        if (bytes == null) {
            return Lookup.miss();
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            byte[] mac = in.readNBytes(CacheDirectory.MAC_BYTES);
            if (!MessageDigest.isEqual(magic, MAGIC) || mac.length != CacheDirectory.MAC_BYTES) {
                return new Lookup(null, file + " is not a Warden policy cache entry");
            }
            String artifact = in.readUTF();
            byte[] kjar = in.readAllBytes();
            if (!MessageDigest.isEqual(mac, mac(version, artifact, kjar))) {
                return new Lookup(null, file + " does not match its MAC (changed since it was written, or written for other rules, "
                        + "another build or another key)");
            }
            directory.markUsed(name(version));
            return new Lookup(new Entry(artifact, kjar), null);
        } catch (IOException | GeneralSecurityException e) {
            return new Lookup(null, file + " is damaged (" + e + ")");
        }
    }

    /** Stores {@code entry} for {@code version}, replacing any entry atomically. */
    public void write(String version, Entry entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(entry.kjar().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.write(mac(version, entry.artifact(), entry.kjar()));
            out.writeUTF(entry.artifact());
            out.write(entry.kjar());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot compute the cache entry's MAC", e);
        }
        directory.write(name(version), bytes.toByteArray(), SUFFIX, KEPT);
    }

    /** The entry's file: the key it is for in its name, so that builds and JDKs never overwrite each other. */
    Path file(String version) {
        return directory.file(name(version));
    }

    private String name(String version) {
        return version + "-" + build + "-jdk" + Runtime.version().feature() + SUFFIX;
    }

    private byte[] mac(String version, String artifact, byte[] kjar) throws GeneralSecurityException {
        return directory.mac(MAGIC, (version + "\n" + build + "\n" + Runtime.version().feature() + "\n" + artifact + "\n")
                .getBytes(StandardCharsets.UTF_8), kjar);
    }
}
