package dev.warden.agent.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which unpacked builds in the cache directory running JVMs use. A JVM holds a shared lock on
 * {@code <build>.lock} beside the build's directory for as long as it lives (the operating system lets go
 * when the process ends, however it ends), and sets the time of {@code <build>.started} when it starts (not the lock
 * file's: the JDK sets a time through a descriptor of its own, and closing any descriptor of a file releases the
 * process's locks on it); a build whose lock file
 * can be locked exclusively is used by no JVM, and is removed with its lock file while that lock is held, unless it
 * is one of the {@value #IDLE_KEPT} such builds a JVM started most recently, within {@link #IDLE_FOR}: a build whose
 * JVMs start now and then beside another's (a rolling upgrade, two checkouts on one machine) is not unpacked again
 * at each of its starts, and a machine where builds follow one another keeps a few hundred megabytes at most. A JVM
 * that opened the lock file just before it was removed finds the tombstone the clean-up wrote into it, and starts
 * over with a new lock file (unpacking the build again).
 *
 * <p>Directories without a lock file were unpacked by agents that take no lock: they are left alone, since
 * such a JVM may still be running (delete them by hand once none is).
 */
final class BuildsInUse {

    static final String LOCK = ".lock";
    static final String UNPACKING = ".unpacking";
    static final String STARTED = ".started";
    private static final String STAGING = ".staging-";
    private static final byte[] TOMBSTONE = "removed\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** How many builds no JVM uses are kept, the most recently started first. */
    static final int IDLE_KEPT = 2;
    /** How recently a JVM must have started a build no JVM uses for it to be kept. */
    static final Duration IDLE_FOR = Duration.ofDays(1);

    /**
     * The locks this JVM holds, by lock file (its file key: the same file under any spelling of its path): never
     * released, so that no other JVM removes a build this one loads from. No other channel of this JVM's is ever
     * closed on one of these files: closing it would release the lock the JVM holds through this one (the operating
     * system's locks belong to the process, not to a channel).
     */
    private static final Map<Object, FileChannel> HELD = new HashMap<>();
    /** Other channels on files this JVM holds a lock on, never closed for that reason (guarded by HELD). */
    private static final List<FileChannel> OPEN = new ArrayList<>();

    private BuildsInUse() {
    }

    /** Marks {@code build} used by this JVM for its whole life; before the build is checked or unpacked. */
    static void use(Path root, String build) throws IOException {
        Path lockFile = root.resolve(build + LOCK);
        if (holds(lockFile)) {
            return; // this JVM uses the build already (a second start of the launcher)
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                channel.lock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException heldElsewhere) {
                // This JVM holds it already (another copy of this class, in another class loader): this channel stays
                // open, for closing it would release that lock.
                keepOpen(lockFile, channel);
                return;
            } catch (IOException noLocksHere) {
                // A file system without locks: no clean-up can lock it either, so nothing is removed there.
                channel.close();
                return;
            } catch (RuntimeException e) {
                channel.close();
                throw e;
            }
            if (live(channel)) {
                keepOpen(lockFile, channel);
                started(root.resolve(build + STARTED));
                return;
            }
            channel.close(); // removed by a clean-up between open and lock: the build is gone, take a fresh lock
            removeIfTombstone(lockFile);
        }
        throw new IOException("cannot mark " + root.resolve(build) + " in use: its lock file keeps being removed");
    }

    /** Held while this JVM unpacks a build; closing it lets the next JVM waiting to unpack the same build go on. */
    interface Unpacking extends java.io.Closeable {
        @Override
        void close() throws IOException;
    }

    /**
     * Waits until no other JVM unpacks {@code build}, then keeps them waiting until closed. Called with the
     * build marked {@linkplain #use in use}, so no clean-up removes the file locked here meanwhile.
     */
    static Unpacking unpacking(Path root, String build) throws IOException {
        FileChannel channel = FileChannel.open(root.resolve(build + UNPACKING), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            channel.lock();
        } catch (IOException noLocksHere) {
            // A file system without locks: the unpacking JVMs race, and the atomic move settles who wins.
            channel.close();
            return () -> { };
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel::close; // closing the channel releases its lock
    }

    private static boolean holds(Path lockFile) {
        Object key = fileKey(lockFile);
        synchronized (HELD) {
            return HELD.containsKey(key);
        }
    }

    /** Keeps {@code channel} open for the JVM's life: the lock this JVM holds on {@code lockFile} stays held. */
    private static void keepOpen(Path lockFile, FileChannel channel) {
        synchronized (HELD) {
            if (HELD.putIfAbsent(fileKey(lockFile), channel) != null) {
                OPEN.add(channel); // a second channel on a file held already
            }
        }
    }

    /** The file's key (device and inode), read without opening it; its absolute path where there is none. */
    private static Object fileKey(Path file) {
        try {
            Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            if (key != null) {
                return key;
            }
        } catch (IOException goneOrUnreadable) {
            // the path, then
        }
        return file.toAbsolutePath().normalize();
    }

    /** When a JVM last started the build: the time of {@code startedFile}, which each start sets. */
    private static void started(Path startedFile) {
        try {
            try {
                Files.createFile(startedFile);
            } catch (java.nio.file.FileAlreadyExistsException earlierStart) {
                // its time is set below
            }
            Files.setLastModifiedTime(startedFile, FileTime.from(Instant.now()));
        } catch (IOException notNow) {
            // the build then looks idle for longer than it is: it is unpacked again if removed
        }
    }

    /**
     * Removes every build but {@code keep} that no JVM uses, except the {@value #IDLE_KEPT} started most recently
     * within {@link #IDLE_FOR} of {@code now}; what cannot be removed now is left for a later start.
     */
    static List<String> removeUnused(Path root, String keep, Instant now) {
        List<String> removed = new ArrayList<>();
        List<Path> lockFiles = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "*" + LOCK)) {
            entries.forEach(lockFiles::add);
        } catch (IOException unreadable) {
            return removed;
        }
        Map<Path, Instant> started = new HashMap<>();
        lockFiles.forEach(lockFile -> started.put(lockFile, lastStarted(root, lockFile)));
        lockFiles.sort(Comparator.comparing(started::get).reversed());
        int idleKept = 0;
        for (Path lockFile : lockFiles) {
            String name = lockFile.getFileName().toString();
            String build = name.substring(0, name.length() - LOCK.length());
            if (build.equals(keep) || holds(lockFile)) {
                continue;
            }
            boolean mayStayIdle = idleKept < IDLE_KEPT && started.get(lockFile).isAfter(now.minus(IDLE_FOR));
            switch (removeIfUnused(root, build, lockFile, mayStayIdle)) {
                case REMOVED -> removed.add(build);
                case IDLE -> idleKept++;
                case IN_USE -> { }
            }
        }
        return removed;
    }

    private static Instant lastStarted(Path root, Path lockFile) {
        String name = lockFile.getFileName().toString();
        try {
            return Files.getLastModifiedTime(root.resolve(name.substring(0, name.length() - LOCK.length()) + STARTED))
                    .toInstant();
        } catch (IOException neverSaid) {
            return Instant.EPOCH; // unpacked by an agent that did not say when it started it
        }
    }

    /** What a clean-up did with a build. */
    private enum Outcome { REMOVED, IDLE, IN_USE }

    private static Outcome removeIfUnused(Path root, String build, Path lockFile, boolean mayStayIdle) {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException goneMeanwhile) {
            return Outcome.IN_USE;
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            // Held by another copy of this class (in another class loader): closing this channel would release that lock.
            keepOpen(lockFile, channel);
            return Outcome.IN_USE;
        } catch (IOException | RuntimeException notNow) {
            lock = null;
        }
        try (channel) {
            if (lock == null || !live(channel)) {
                return Outcome.IN_USE; // a JVM uses it, or another clean-up got there first
            }
            if (mayStayIdle) {
                return Outcome.IDLE; // closing the channel lets go of the lock
            }
            // The completeness marker goes first: a half-removed build is never taken for a whole one.
            NestedJars.deleteRecursively(root.resolve(build).resolve(NestedJars.COMPLETE));
            NestedJars.deleteRecursively(root.resolve(build));
            for (Path staging : stagingOf(root, build)) {
                NestedJars.deleteRecursively(staging);
            }
            Files.deleteIfExists(root.resolve(build + UNPACKING));
            Files.deleteIfExists(root.resolve(build + STARTED));
            channel.write(java.nio.ByteBuffer.wrap(TOMBSTONE), 0);
            channel.force(true);
            Files.delete(lockFile); // last, still locked: a JVM waiting for it finds the tombstone and starts over
            return Outcome.REMOVED;
        } catch (IOException | RuntimeException notNow) {
            return Outcome.IN_USE;
        }
    }

    private static List<Path> stagingOf(Path root, String build) throws IOException {
        List<Path> staging = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, build + STAGING + "*")) {
            entries.forEach(staging::add);
        }
        return staging;
    }

    /** A tombstone left at its path (a clean-up stopped before removing it) is removed, so a fresh one can be made. */
    private static void removeIfTombstone(Path lockFile) {
        try {
            if (Files.size(lockFile) > 0) {
                Files.deleteIfExists(lockFile);
            }
        } catch (IOException goneAlready) {
            // a new one is made on the next attempt
        }
    }

    /**
     * Whether the lock file {@code channel} locked is still live: a clean-up writes a tombstone into it before it
     * removes it, so a file locked after that is empty only if it is the live one.
     */
    private static boolean live(FileChannel channel) throws IOException {
        return channel.size() == 0;
    }
}
