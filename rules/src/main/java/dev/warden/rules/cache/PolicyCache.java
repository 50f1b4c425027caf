package dev.warden.rules.cache;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Compiled policies kept across starts, one file per (policy version, Warden build, JDK feature
 * version). A cached policy is code that will run in the host, so an entry is used only when its
 * HMAC-SHA256, under a key only this user can read ({@code cache.key}, created on first use), matches
 * what the entry says it is for; anything else is rejected and the policy compiled from its rules.
 * The directory must be this user's and writable by nobody else. Entries are written atomically.
 */
public final class PolicyCache {

    private static final byte[] MAGIC = "warden-policy-cache/1\n".getBytes(StandardCharsets.US_ASCII);
    private static final String KEY_FILE = "cache.key";
    private static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    /** Entries kept: those used most recently. A policy edited over and over must not fill the disk. */
    static final int KEPT = 256; // entries are 30-100 KB; the e2e suite alone uses dozens of policies
    private static final String SUFFIX = ".policy";

    private final Path directory;
    private final String build;
    private final byte[] key;

    private PolicyCache(Path directory, String build, byte[] key) {
        this.directory = directory;
        this.build = build;
        this.key = key;
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
        Path absolute = directory.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException alreadyThere) {
            // checked below
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(absolute);
        }
        requireOwnerOnly(absolute);
        return new PolicyCache(absolute, build, key(absolute.resolve(KEY_FILE)));
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
        return directory;
    }

    /** The verified entry for {@code version}, a miss, or a rejection naming what was wrong. */
    public Lookup read(String version) {
        Path file = file(version);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException absent) {
            return Lookup.miss();
        } catch (IOException e) {
            return new Lookup(null, file + " is unreadable (" + e + ")");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            byte[] mac = in.readNBytes(KEY_BYTES);
            if (!MessageDigest.isEqual(magic, MAGIC) || mac.length != KEY_BYTES) {
                return new Lookup(null, file + " is not a Warden policy cache entry");
            }
            String artifact = in.readUTF();
            byte[] kjar = in.readAllBytes();
            if (!MessageDigest.isEqual(mac, mac(version, artifact, kjar))) {
                return new Lookup(null, file + " does not match its MAC (changed since it was written, or written for other rules, "
                        + "another build or another key)");
            }
            markUsed(file);
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
        Path target = file(version);
        Path staging = Files.createTempFile(directory, target.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        try {
            Files.write(staging, bytes.toByteArray());
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(staging);
        }
        removeAllBut(KEPT);
    }

    /** A hit: the entry's modification time says when a start last used it, which is what {@link #removeAllBut} keeps by. */
    private static void markUsed(Path file) {
        try {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        } catch (IOException notNow) {
            // it may be removed a little sooner than it would have been
        }
    }

    /**
     * Removes every entry but the {@code kept} used most recently (any build, any JDK: the directory may be
     * shared by several). An entry another JVM is about to read is then a miss there, and compiled again.
     */
    void removeAllBut(int kept) {
        java.util.List<Path> entries = new java.util.ArrayList<>();
        try (var listing = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            listing.forEach(entries::add);
        } catch (IOException unreadable) {
            return;
        }
        if (entries.size() <= kept) {
            return;
        }
        java.util.Map<Path, Long> used = new java.util.HashMap<>();
        for (Path entry : entries) {
            try {
                used.put(entry, Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis());
            } catch (IOException goneAlready) {
                used.put(entry, Long.MIN_VALUE);
            }
        }
        entries.sort(java.util.Comparator.comparing(used::get, java.util.Comparator.reverseOrder()));
        for (Path stale : entries.subList(kept, entries.size())) {
            try {
                Files.deleteIfExists(stale);
            } catch (IOException notNow) {
                // the next write tries again
            }
        }
    }

    /** The entry's file: the key it is for in its name, so that builds and JDKs never overwrite each other. */
    Path file(String version) {
        return directory.resolve(version + "-" + build + "-jdk" + Runtime.version().feature() + SUFFIX);
    }

    private byte[] mac(String version, String artifact, byte[] kjar) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(MAGIC);
        mac.update((version + "\n" + build + "\n" + Runtime.version().feature() + "\n" + artifact + "\n")
                .getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(kjar);
    }

    /** The cache's key, generated once; several JVMs starting at once agree on the first one written. */
    private static byte[] key(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            Path staging = Files.createTempFile(file.getParent(), KEY_FILE, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try {
                Files.write(staging, fresh);
                Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                // another JVM wrote it first: use that one
            } finally {
                Files.deleteIfExists(staging);
            }
        }
        requireOwnerOnly(file);
        byte[] key = Files.readAllBytes(file);
        if (key.length != KEY_BYTES) {
            throw new IOException(file + " is not a " + KEY_BYTES + "-byte cache key");
        }
        return key;
    }

    /** Only this user may have written it: else another user could plant code the host would run. */
    private static void requireOwnerOnly(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        PosixFileAttributes attributes = view.readAttributes();
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (attributes.isSymbolicLink() || !attributes.owner().getName().equals(System.getProperty("user.name"))
                || permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                || (attributes.isRegularFile() && (permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ)))) {
            throw new IOException(path + " must belong to " + System.getProperty("user.name") + " and be writable (a key: readable) "
                    + "by nobody else");
        }
    }
}
