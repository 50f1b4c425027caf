package dev.warden.rules.cache;

import dev.warden.bootstrap.JdkCrypto;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A directory of entries a start reuses and that will run as code in the host (compiled policies, transformed JDK
 * classes). It must be this user's and writable by nobody else; it holds a key only this user can read
 * ({@code cache.key}, created on first use) under which each kind of entry computes an HMAC-SHA256 of what the entry
 * says it is for, so an entry changed or copied under another name is rejected. Entries are written atomically and
 * the least recently used of a kind removed beyond a bound.
 */
public final class CacheDirectory {

    /** The MAC key of the directory's entries, in the directory. */
    public static final String KEY_FILE = "cache.key";
    private static final int KEY_BYTES = 32;
    /** The length of a MAC, in bytes. */
    public static final int MAC_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path directory;
    private final byte[] key;

    private CacheDirectory(Path directory, byte[] key) {
        this.directory = directory;
        this.key = key;
    }

    /**
     * Opens {@code directory}, creating it owner-only when absent, and its key.
     *
     * @throws IOException when the directory or its key cannot be used safely
     */
    public static CacheDirectory open(Path directory) throws IOException {
        return open(directory, OwnCode.PATH);
    }

    /** {@link #open(Path)}, judged beside {@code ownCode}: the real path of the code that is Warden, or null. */
    static CacheDirectory open(Path directory, Path ownCode) throws IOException {
        Files.createDirectories(directory.toAbsolutePath().getParent());
        // Links resolved once, here: the directory is used by its real path from now on, so none can be retargeted.
        Path parent = directory.toAbsolutePath().getParent().toRealPath();
        Path absolute = parent.resolve(directory.getFileName().toString());
        requireNoOtherUserControls(parent, absolute, ownCode); // before anything is made in it
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException alreadyThere) {
            // checked below
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(absolute);
        }
        requireOwnerOnly(absolute);
        return new CacheDirectory(absolute, key(absolute.resolve(KEY_FILE)));
    }

    public Path directory() {
        return directory;
    }

    public Path file(String name) {
        return directory.resolve(name);
    }

    /** The HMAC-SHA256 of {@code parts}, in order, under this directory's key. */
    public byte[] mac(byte[]... parts) throws GeneralSecurityException {
        return HmacSha256.of(key, parts);
    }

    /** The entry's bytes, or {@code null} when there is none. */
    public byte[] read(String name) throws IOException {
        try {
            return Files.readAllBytes(file(name));
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /**
     * Replaces the entry {@code name} atomically, then removes all but the {@code kept} entries ending in
     * {@code suffix} used most recently.
     */
    public void write(String name, byte[] bytes, String suffix, int kept) throws IOException {
        Path target = file(name);
        Path staging = Files.createTempFile(directory, name, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        try {
            Files.write(staging, bytes);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(staging);
        }
        removeAllBut(suffix, kept);
    }

    /** A hit: the entry's modification time says when a start last used it, which is what entries are kept by. */
    public void markUsed(String name) {
        try {
            Files.setLastModifiedTime(file(name), FileTime.from(Instant.now()));
        } catch (IOException notNow) {
            // it may be removed a little sooner than it would have been
        }
    }

    /**
     * Removes every entry ending in {@code suffix} but the {@code kept} used most recently (any build, any JDK: the
     * directory may be shared by several). An entry another JVM is about to read is then a miss there.
     */
    void removeAllBut(String suffix, int kept) {
        removeAbandonedStaging();
        List<Path> entries = new ArrayList<>();
        try (var listing = Files.newDirectoryStream(directory, "*" + suffix)) {
            listing.forEach(entries::add);
        } catch (IOException unreadable) {
            return;
        }
        if (entries.size() <= kept) {
            return;
        }
        Map<Path, Long> used = new HashMap<>();
        for (Path entry : entries) {
            try {
                used.put(entry, Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis());
            } catch (IOException goneAlready) {
                used.put(entry, Long.MIN_VALUE);
            }
        }
        entries.sort(Comparator.comparing(used::get, Comparator.reverseOrder()));
        for (Path stale : entries.subList(kept, entries.size())) {
            try {
                Files.deleteIfExists(stale);
            } catch (IOException notNow) {
                // the next write tries again
            }
        }
    }

    /** Staging files a writer killed mid-write left behind (an hour is far longer than any write takes). */
    private void removeAbandonedStaging() {
        long before = System.currentTimeMillis() - 3_600_000;
        try (var listing = Files.newDirectoryStream(directory, "*.tmp")) {
            for (Path staging : listing) {
                if (Files.getLastModifiedTime(staging, LinkOption.NOFOLLOW_LINKS).toMillis() < before) {
                    Files.deleteIfExists(staging);
                }
            }
        } catch (IOException notNow) {
            // the next write tries again
        }
    }

    /** The directory's key, generated once; several threads or JVMs starting at once agree on the first one written. */
    private static byte[] key(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] fresh = new byte[KEY_BYTES];
            JdkCrypto.random().nextBytes(fresh);
            Path staging = Files.createTempFile(file.getParent(), KEY_FILE, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try {
                Files.write(staging, fresh);
                // A link is created only where no file is: a rename would replace a key another thread or JVM
                // created meanwhile, and entries written under it would no longer verify.
                Files.createLink(file, staging);
            } catch (FileAlreadyExistsException raced) {
                // another thread or JVM wrote it first: use that one
            } catch (UnsupportedOperationException | IOException noLinks) {
                // a file system without hard links: a rename, which may replace a key created meanwhile
                try {
                    Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                    // another JVM wrote it first: use that one
                }
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
        if (attributes.isSymbolicLink() || !ownedByThisProcess(path)
                || permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                || (attributes.isRegularFile() && (permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ)))) {
            throw new IOException(path + " must belong to the user this JVM runs as and be writable (a key: readable) "
                    + "by nobody else");
        }
    }

    /**
     * Nobody else may move the directory away and put one of theirs in its place: each directory above it is this
     * user's or root's, and others may not write in it unless it is sticky (as {@code /tmp} is). A
     * {@code $TMPDIR/warden-$USER} that another user made first, say, is not. One such directory is borne: one that
     * Warden's own code ({@code ownCode}, the jars the launcher unpacked) lies below as well, as in a Kubernetes
     * {@code emptyDir} that is open to all without the sticky bit. Whoever could swap the cache there could swap the
     * code that checks it (the launcher warns of such a temporary directory at every start, and nothing here warns
     * again); refusing the cache would protect nothing and make every start compile its rules and replay the whole
     * receipt log. Run from class directories, as in tests, the code's own directories are borne the same way.
     */
    private static void requireNoOtherUserControls(Path realParent, Path directory, Path ownCode) throws IOException {
        for (Path above = realParent; above != null; above = above.getParent()) {
            if (ownCode != null && ownCode.startsWith(above)) {
                continue;
            }
            Map<String, Object> unix;
            try {
                unix = Files.readAttributes(above, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
                return;
            }
            int mode = (Integer) unix.get("mode");
            boolean rootsOrOurs = (Integer) unix.get("uid") == 0 || ownedByThisProcess(above);
            boolean othersMayRename = (mode & 0022) != 0 && (mode & 01000) == 0;
            if (!rootsOrOurs || othersMayRename) {
                throw new IOException(directory + " is in " + above + ", where another user could put a directory of"
                        + " theirs in its place");
            }
        }
    }

    /**
     * Whether {@code path} (a link is not followed) belongs to the user this process runs as: by user id, where procfs
     * says whose this process is (Linux), which no other user can change; else by name, {@code user.name}. Not by name
     * alone: a user id without a passwd entry, as containers often run, is named "?" in {@code user.name} and by
     * number on its files, and no cache was ever used.
     */
    private static boolean ownedByThisProcess(Path path) {
        Integer uid = processUid();
        try {
            if (uid == null) {
                // Looked up only here: the owner's name may take a directory service's round trip.
                return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
            }
            return uid.equals(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** This process's user id, from procfs; null where there is none. */
    private static Integer processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException noProcfs) {
            return null;
        }
    }

    /** Where the code that is Warden lies, its links resolved: found once, or null where it cannot be told. */
    private static final class OwnCode {
        static final Path PATH = find();

        private static Path find() {
            try {
                java.security.CodeSource source = CacheDirectory.class.getProtectionDomain().getCodeSource();
                return source == null ? null : Path.of(source.getLocation().toURI()).toRealPath();
            } catch (IOException | java.net.URISyntaxException | RuntimeException unknown) {
                return null; // every directory above a cache is then judged as if Warden's code were elsewhere
            }
        }
    }
}
