package dev.warden.receipts;

import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A receipts directory this process may write, before its queue is opened: the keys read, the writer lock held, the
 * chain's head recovered with the signing key (a key rotation done). Everything that must refuse a start - a key that
 * does not load, a directory another process writes, a key the log's checkpoints are not signed with - happens in
 * {@link #take}, in about a tenth of the time {@link #open} then takes to map the queue and start the signer, so a
 * caller can refuse at once and leave the opening to a thread that may wait.
 */
public final class ReceiptsClaim implements AutoCloseable {

    private final ReceiptLogOptions options;
    private final SigningKey key;
    private final ChainHead head;
    private final Path publicKeyFile;
    private final WriterLock lock;
    private boolean handedOver;

    private ReceiptsClaim(ReceiptLogOptions options, SigningKey key, ChainHead head, Path publicKeyFile, WriterLock lock) {
        this.options = options;
        this.key = key;
        this.head = head;
        this.publicKeyFile = publicKeyFile;
        this.lock = lock;
    }

    /**
     * Initialises what {@link #take} needs of Chronicle Queue and Bouncy Castle, about half of a warm start's claim, so
     * that a caller can have it done on another thread meanwhile. Never throws: {@link #take} reports a failure.
     */
    public static void initialise() {
        try {
            ChronicleSettings.initialise();
            Ed25519.precompute();
            new SHA512Digest();
        } catch (Throwable kept) {
            // Chronicle's is given again to take, with its cause; Bouncy Castle's happens again there
        }
    }

    /**
     * Claims {@code options.directory()} for this process's log.
     *
     * @throws KeyFormatException   when a configured key is not a PEM PKCS#8 Ed25519 private key (nothing is written)
     * @throws ReceiptsLockedException when another writer holds the directory
     * @throws KeyMismatchException when the log's checkpoints are another key's (and no rotation from it is configured)
     */
    public static ReceiptsClaim take(ReceiptLogOptions options) throws IOException {
        Path dir = options.directory();
        // Keys are read before anything is created: a key that does not load refuses the start with nothing written.
        SigningKey configured = options.privateKeyPem() == null ? null : Ed25519Keys.readPrivate(options.privateKeyPem());
        SigningKey previous = options.rotateFrom() == null ? null : Ed25519Keys.readPrivate(options.rotateFrom());
        Files.createDirectories(dir);
        WriterLock lock = WriterLock.acquire(dir);
        try {
            Path generated = dir.resolve(ReceiptLog.GENERATED_PRIVATE_KEY);
            boolean generate = configured == null && !Files.exists(generated);
            SigningKey key = configured != null ? configured
                    : generate ? Ed25519Keys.generateInMemory() : Ed25519Keys.readPrivate(generated);
            ChainHead head;
            try {
                head = ChainHead.recover(dir, key, ReceiptMac.of(key), options.origin());
            } catch (KeyMismatchException notThisKey) {
                if (previous == null || previous.publicKey().equals(key.publicKey())) {
                    throw notThisKey;
                }
                ReceiptLog.rotate(options, previous, key);
                head = ChainHead.recover(dir, key, ReceiptMac.of(key), options.origin());
            }
            // Only now that this key may write the log is a generated key kept, and the first key of a new log published.
            if (generate) {
                Ed25519Keys.writePrivate(key, generated);
            }
            Path publicKeyFile = dir.resolve(ReceiptLog.PUBLIC_KEY);
            if (!Files.exists(publicKeyFile) && head.nextSequence() == 0) {
                Ed25519Keys.writePublic(key.publicKey(), publicKeyFile);
            }
            ChronicleSettings.initialise();
            return new ReceiptsClaim(options, key, head, publicKeyFile, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The directory claimed. */
    public Path directory() {
        return options.directory();
    }

    /** The file the log's first public key is published in (which checkpoints are signed with: docs/RECEIPTS.md). */
    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** Signs the approval requests the gate publishes with this log's key, which approvers check them against. */
    public RequestSigner requestSigner() {
        return RequestSigner.with(key);
    }

    /**
     * Opens the claimed log (recording what a restart recovered) and starts its signer; the log then holds the lock.
     * Once: a failure lets go of the directory.
     *
     * @param listener told of every checkpoint signed from now on (null: nobody)
     */
    public synchronized ReceiptLog open(CheckpointListener listener) throws IOException {
        if (handedOver) {
            throw new IllegalStateException("the claim on " + directory() + " was opened or closed already");
        }
        handedOver = true;
        try {
            return ReceiptLog.openClaimed(options, key, head, publicKeyFile, listener, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Lets go of a directory that was never opened (nothing when it was). */
    @Override
    public synchronized void close() {
        if (!handedOver) {
            handedOver = true;
            lock.close();
        }
    }
}
