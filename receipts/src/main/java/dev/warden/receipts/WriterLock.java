package dev.warden.receipts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per receipts directory: an exclusive lock on {@code <dir>/writer.lock}, taken before
 * anything else is written, and held until the log closes (or the process dies: the OS drops it).
 * The file says who holds it ({@code pid=<pid> since=<instant>}), so a refused second writer can name
 * the first. Chronicle Queue itself lets several processes append to one queue; two writers would
 * interleave two chains, which a verifier rightly reports as tampering.
 */
public final class WriterLock implements AutoCloseable {
    static final String FILE = "writer.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file. */
    Path file() {
        return file;
    }

    /**
     * Takes the lock of an existing directory.
     *
     * @throws ReceiptsLockedException when another process (or another log in this JVM) holds it
     */
    public static WriterLock acquire(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException inThisJvm) {
            channel.close();
            throw new ReceiptsLockedException(directory, holder(file) + " (in this JVM)");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new ReceiptsLockedException(directory, holder(file));
        }
        try {
            byte[] who = ("pid=" + ProcessHandle.current().pid() + " since=" + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(who), 0);
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new WriterLock(file, channel, lock);
    }

    /** What the lock file says of its holder, e.g. {@code pid 4242 since 2026-12-01T10:00:00Z}. */
    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            String pid = field(text, "pid");
            String since = field(text, "since");
            return pid == null ? "an unknown process" : "pid " + pid + (since == null ? "" : " since " + since);
        } catch (IOException | RuntimeException e) {
            return "an unknown process";
        }
    }

    private static String field(String text, String name) {
        for (String part : text.split("\\s+")) {
            if (part.startsWith(name + "=")) {
                String value = part.substring(name.length() + 1);
                return value.matches("[0-9A-Za-z:.\\-]{1,40}") ? value : null;
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            // closing the channel drops it as well
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
