package dev.warden.receipts;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * How a {@link ReceiptLog} is opened.
 *
 * @param privateKeyPem      PKCS#8 Ed25519 key; {@code null} to use (or generate on first open) {@code signing-key.pem} in the directory
 * @param checkpointEvery    sign a checkpoint once this many receipts are unsigned
 * @param checkpointInterval ... or once this much time has passed with receipts unsigned
 * @param signEveryReceipt   strict mode: sign a checkpoint inside every append (~60 µs each)
 * @param origin             first line of every checkpoint and the signature's key name, e.g. {@code warden/host1}
 * @param threadFactory      makes the background signer thread (the agent marks its threads so they are never gated)
 * @param rotateFrom         PKCS#8 Ed25519 key the log was signed with until now, or {@code null}: when the log's
 *                           checkpoints are not {@code privateKeyPem}'s but this key's, the log is handed over to
 *                           {@code privateKeyPem} by a key-rotation receipt (docs/RECEIPTS.md, "Key rotation")
 * @param rollClock          the clock that decides which day's cycle file the queue writes to; only for tests and
 *                           tools that must make the queue roll ({@link #withRollClock}). Receipts' own timestamps
 *                           never come from it.
 */
public record ReceiptLogOptions(Path directory, Path privateKeyPem, int checkpointEvery, Duration checkpointInterval,
                                boolean signEveryReceipt, String origin, ThreadFactory threadFactory, Path rotateFrom,
                                Clock rollClock) {
    public static final int DEFAULT_CHECKPOINT_EVERY = 256;
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMillis(250);

    public ReceiptLogOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(threadFactory, "threadFactory");
        Objects.requireNonNull(rollClock, "rollClock");
        if (checkpointEvery < 1 || checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpointEvery and checkpointInterval must be positive");
        }
        SignedNote.requireKeyName(origin);
    }

    /** Unsigned window under a second: a checkpoint every 256 receipts or 250 ms. */
    public static ReceiptLogOptions defaults(Path directory) {
        return new ReceiptLogOptions(directory, null, DEFAULT_CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_INTERVAL, false,
                "warden/" + hostName(), daemonThreads(), null, Clock.systemUTC());
    }

    public ReceiptLogOptions withPrivateKey(Path pem) {
        return new ReceiptLogOptions(directory, pem, checkpointEvery, checkpointInterval, signEveryReceipt, origin, threadFactory, rotateFrom, rollClock);
    }

    public ReceiptLogOptions withCheckpoints(int every, Duration interval) {
        return new ReceiptLogOptions(directory, privateKeyPem, every, interval, signEveryReceipt, origin, threadFactory, rotateFrom, rollClock);
    }

    public ReceiptLogOptions withSignEveryReceipt(boolean strict) {
        return new ReceiptLogOptions(directory, privateKeyPem, checkpointEvery, checkpointInterval, strict, origin, threadFactory, rotateFrom, rollClock);
    }

    public ReceiptLogOptions withOrigin(String newOrigin) {
        return new ReceiptLogOptions(directory, privateKeyPem, checkpointEvery, checkpointInterval, signEveryReceipt, newOrigin, threadFactory, rotateFrom, rollClock);
    }

    public ReceiptLogOptions withThreadFactory(ThreadFactory factory) {
        return new ReceiptLogOptions(directory, privateKeyPem, checkpointEvery, checkpointInterval, signEveryReceipt, origin, factory, rotateFrom, rollClock);
    }

    /** Hands the log over from {@code previousKeyPem} to {@link #privateKeyPem()} if it is still signed by the former. */
    public ReceiptLogOptions withRotationFrom(Path previousKeyPem) {
        return new ReceiptLogOptions(directory, privateKeyPem, checkpointEvery, checkpointInterval, signEveryReceipt, origin,
                threadFactory, previousKeyPem, rollClock);
    }

    /**
     * The clock the queue rolls by (default: the system clock), so a test can write a log over several days
     * in a second. Not a configuration key: a host's log always rolls by the real date.
     */
    public ReceiptLogOptions withRollClock(Clock clock) {
        return new ReceiptLogOptions(directory, privateKeyPem, checkpointEvery, checkpointInterval, signEveryReceipt, origin,
                threadFactory, rotateFrom, clock);
    }

    private static ThreadFactory daemonThreads() {
        return runnable -> {
            Thread t = new Thread(runnable, "warden-receipt-signer");
            t.setDaemon(true);
            return t;
        };
    }

    /** This host's name, as the default origin names it. HOSTNAME first: InetAddress may ask DNS, which is slow and is network I/O inside the host. */
    public static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                name = "localhost";
            }
        }
        return name.replaceAll("[\\s+]", "_");
    }
}
