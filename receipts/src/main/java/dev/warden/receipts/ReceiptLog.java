package dev.warden.receipts;

import net.openhft.chronicle.core.io.SingleThreadedChecked;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only, hash-chained receipt log in a Chronicle Queue, with Ed25519-signed Merkle
 * checkpoints. Layout, format and restart semantics: docs/RECEIPTS.md.
 *
 * <p>The hot path ({@link #append}) encodes, hashes (JDK SHA-256) and appends under one lock, and
 * never signs; a background thread made by {@link ReceiptLogOptions#threadFactory()} signs
 * checkpoints, unless {@link ReceiptLogOptions#signEveryReceipt()} asks for a checkpoint inside every
 * append.
 */
public final class ReceiptLog implements AutoCloseable {
    /** The signing key a log generates for itself when none is configured, in its directory. */
    public static final String GENERATED_PRIVATE_KEY = "signing-key.pem";
    static final String PUBLIC_KEY = "public-key.pem";

    private final ReceiptLogOptions options;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final PolicyArchive policies;
    private final Path publicKeyFile;

    // Appends never queue on this lock: one that finds it held queues its draft for the holder to append
    // (QueuedAppend), in arrival order, so no thread that just appended can take the log again ahead of waiting
    // ones (jmh/sessions.sh, README Performance). Fair for the rest (closing, cosignatures).
    final ReentrantLock lock = new ReentrantLock(true); // package-private: a test holds it as an append would
    /** Appends waiting for the lock, appended by its holder: see {@link QueuedAppend}. */
    private final java.util.Queue<QueuedAppend> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /**
     * A bound on how long a queued append parks before it looks again: it is woken when it is done, or when it is
     * first in the queue and the lock is let go. Long, because with a thousand waiting threads every timed-out
     * wait is a context switch (1 ms made a thousand sessions crawl).
     */
    private static final long WAIT_NANOS = 100_000_000L;
    private static final int COMBINE_AT_MOST = 256;
    /**
     * How long the signer leaves a checkpoint to the appends before writing it itself: under 1,000 appends a second.
     * Package-private: a test sets a longer one before the signing thread starts.
     */
    long handOverNanos = 1_000_000L;
    private final CanonicalJsonWriter writer = new CanonicalJsonWriter();     // guarded by lock
    private final MessageDigest digest = Sha256.newDigest();                  // guarded by lock
    private final ReceiptMac mac;                                             // guarded by lock
    private final ReceiptMac macCheck;    // the same key's, for wrote(): guarded by itself, never by the appenders' lock
    private final byte[] macBytes = new byte[ReceiptMac.LENGTH];              // guarded by lock
    private String currentFile;                                               // guarded by lock: the cycle file written to
    private int currentCycle = Integer.MIN_VALUE;                             // guarded by lock
    /** FAST_DAILY indexes are {@code cycle << 32 | sequence in the cycle}. */
    private static final int CYCLE_SHIFT = 32;
    /** Appended in sequence order under the lock, taken by the signer without it. */
    private final java.util.Queue<byte[]> unsignedLeaves = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** A checkpoint the signer could not write because an append held the lock: that append writes it. */
    private final java.util.concurrent.atomic.AtomicReference<PendingCheckpoint> pendingCheckpoint =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final String chain;
    private long nextSequence;                                                // guarded by lock
    private byte[] previousLeaf;   // the last receipt's leaf hash, never written to; guarded by lock
    private volatile long appended;
    private volatile boolean closed;           // written under lock; read without it by a checkpoint being handed over
    private boolean queueClosed;                                              // guarded by lock
    private final CheckpointListener listener;                                // nullable
    private final WriterLock writerLock;                                      // nullable: held by the caller

    private final Checkpointer checkpointer;
    private final BackgroundSigner signer;
    private final PagesAhead pagesAhead;
    private final HeldFiles held = new HeldFiles();
    private final RollListener rolls = new RollListener(held);

    private ReceiptLog(ReceiptLogOptions options, SigningKey key, ReceiptMac mac, ChainHead head, Path publicKeyFile,
                       CheckpointListener listener, WriterLock lock) {
        this.options = options;
        this.writerLock = lock;
        if (lock != null) {
            held.hold("the writer's lock", lock.file());
        }
        this.listener = listener;
        this.publicKeyFile = publicKeyFile;
        this.policies = new PolicyArchive(options.directory());
        this.mac = mac;
        this.macCheck = ReceiptMac.of(key);
        this.queue = ChronicleSettings.openForWriting(options.directory(), options.rollClock(), rolls);
        try {
            this.appender = queue.createAppender();
            // One appender shared under our lock, so Chronicle's one-thread-per-appender check does not apply.
            ((SingleThreadedChecked) appender).singleThreadedCheckDisabled(true);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
        this.pagesAhead = new PagesAhead();
        this.currentFile = head.lastFile();
        this.chain = head.chain();
        this.nextSequence = head.nextSequence();
        this.previousLeaf = Hex.parse(head.previousHash());
        this.unsignedLeaves.addAll(head.unsignedLeaves());
        this.appended = nextSequence;
        this.checkpointer = new Checkpointer(options.origin(), key, head.tree(), this::takeUnsignedLeaves,
                this::writeCheckpoint, listener);
        this.signer = options.signEveryReceipt() ? null : new BackgroundSigner(checkpointer::checkpoint,
                checkpointer::checkpointedSize, () -> appended,
                options.checkpointEvery(), options.checkpointInterval().toNanos(), options.threadFactory());
    }

    public static ReceiptLog open(ReceiptLogOptions options) throws IOException {
        return open(options, null);
    }

    /** Opens the log and tells {@code listener} of every checkpoint it signs from now on (null: nobody). */
    public static ReceiptLog open(ReceiptLogOptions options, CheckpointListener listener) throws IOException {
        return ReceiptsClaim.take(options).open(listener);
    }

    /** The log continued from a claimed directory's head, its signer started: what {@link ReceiptsClaim#open} does. */
    static ReceiptLog openClaimed(ReceiptLogOptions options, SigningKey key, ChainHead head, Path publicKeyFile,
                                  CheckpointListener listener, WriterLock lock) throws IOException {
        ReceiptLog log = continueLog(options, key, head, publicKeyFile, listener, lock);
        log.startSigning();
        return log;
    }

    /**
     * Hands the log from {@code previous} to {@code next}: the previous key's writer continues the chain (recovering
     * what a crash left), appends the rotation receipt and signs its checkpoint with both keys, then lets go of the
     * queue. The caller holds the directory's lock throughout.
     */
    static void rotate(ReceiptLogOptions options, SigningKey previous, SigningKey next) throws IOException {
        ChainHead head = ChainHead.recover(options.directory(), previous, ReceiptMac.of(previous), options.origin());
        // Its signer is never started: the one checkpoint after the rotation receipt is signed below, by both keys.
        ReceiptLog old = continueLog(options.withSignEveryReceipt(false), previous, head,
                options.directory().resolve(PUBLIC_KEY), null, null);
        try {
            old.append(KeyRotation.draft(previous.publicKey(), next.publicKey(), java.time.Instant.now()));
            old.checkpointer.checkpoint(next);
        } catch (ReceiptWriteException | RuntimeException e) {
            throw new IOException("cannot record the key rotation in " + options.directory() + ": " + e, e);
        } finally {
            old.close();
        }
    }

    /** The log continued from {@code head}, with what a restart found recorded and signed; its signer not started yet. */
    private static ReceiptLog continueLog(ReceiptLogOptions options, SigningKey key, ChainHead head, Path publicKeyFile,
                                          CheckpointListener listener, WriterLock lock) throws IOException {
        Path dir = options.directory();
        Recovery recovery = head.recovery();
        if (recovery != null && head.lastFileScan() != null && head.lastFileScan().tornFrom() >= 0) {
            recovery = recovery.withTorn(TornWrite.clear(dir, head.lastFileScan()));
        }
        ReceiptLog log;
        try {
            log = new ReceiptLog(options, key, ReceiptMac.of(key), head, publicKeyFile, listener, lock);
        } catch (RuntimeException e) {
            throw new IOException("cannot open the receipts queue in " + dir + ": " + e, e);
        }
        if (recovery != null && recovery.needed()) {
            try {
                log.append(recovery.draft(Recovery.newId(), java.time.Instant.now()));
                log.checkpointer.checkpoint(); // sign what was recovered now, not when the signer next wakes
            } catch (ReceiptWriteException | RuntimeException e) {
                log.close();
                throw new IOException("cannot record the recovery of the receipts queue in " + dir + ": " + e, e);
            }
        }
        return log;
    }

    private void startSigning() {
        if (signer != null) {
            rolls.signer = signer;
            signer.alsoRun(() -> {
                rolls.trimReleased(pagesAhead::retire);
                pagesAhead.touchAhead(); // after trimming, on the same thread: never in a file being trimmed
            });
            signer.start();
        } else {
            checkpointer.checkpoint(); // strict mode: sign a tail left unsigned by a crash now
        }
    }

    /**
     * Chains, encodes, hashes and appends one receipt before returning. Thread-safe.
     *
     * @throws ReceiptWriteException when it could not be appended (or, in strict mode, signed):
     *                               the gate then denies the action
     */
    public Receipt append(ReceiptDraft draft) throws ReceiptWriteException {
        Objects.requireNonNull(draft, "draft");
        ReceiptDraft safe = draft.withSummaryScrubbed();
        Receipt receipt;
        if (waiting.isEmpty() && lock.tryLock()) {
            // Nobody waiting: append at once, then whatever was queued meanwhile.
            try {
                receipt = appendLocked(safe);
                appendWaiting();
            } finally {
                release();
            }
        } else {
            receipt = appendQueued(new QueuedAppend(safe));
        }
        if (signer != null) {
            signer.receiptAppended();
        }
        return receipt;
    }

    /**
     * Queues the append; whichever thread holds the lock appends it. The owner takes the lock itself when it
     * is free (then appending everything queued before it too), and otherwise parks until its append is done or
     * it is first in the queue when the holder lets go of the lock (every holder wakes the first after
     * unlocking, and every queued append tries the lock after queueing, so none is left waiting for nobody).
     */
    private Receipt appendQueued(QueuedAppend queued) throws ReceiptWriteException {
        waiting.add(queued);
        boolean interrupted = false;
        while (!queued.isDone()) {
            if (lock.tryLock()) {
                try {
                    appendWaiting();
                } finally {
                    release();
                }
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(this, WAIT_NANOS);
                // Waits as lock() would, whatever the interrupt (which would otherwise make every park return at
                // once: a spin): the flag is given back once the receipt is written.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return queued.result();
    }

    /**
     * Under the lock: appends the queued appends, in arrival order, at most {@link #COMBINE_AT_MOST} (the holder's
     * own action waits meanwhile; the next waiting thread takes over).
     */
    private void appendWaiting() {
        int combined = 0;
        for (QueuedAppend queued; combined < COMBINE_AT_MOST && (queued = waiting.poll()) != null; combined++) {
            Receipt appended = null;
            ReceiptWriteException failed = null;
            try {
                appended = appendLocked(queued.draft);
            } catch (ReceiptWriteException e) {
                failed = e;
            } catch (Error e) {
                // Its owner must not wait forever for an append nobody will do again.
                queued.complete(null, new ReceiptWriteException("could not append the receipt of action "
                        + queued.draft.id() + ": " + e, e));
                throw e;
            }
            queued.complete(appended, failed);
        }
    }

    /**
     * Lets go of the lock and wakes the first queued append, if any: every release, whoever held the lock (an
     * append, the signer writing a checkpoint, a cosignature, closing), or an append queued meanwhile would
     * wait for nobody.
     */
    private void release() {
        lock.unlock();
        if (!lock.isHeldByCurrentThread()) {
            QueuedAppend next = waiting.peek();
            if (next != null) {
                next.wake();
            }
        }
    }

    private Receipt appendLocked(ReceiptDraft safe) throws ReceiptWriteException {
        if (closed) {
            throw new ReceiptWriteException("receipt log " + options.directory() + " is closed");
        }
        try {
            Receipt receipt = ReceiptCodec.sealInPlace(writer, digest, chain, nextSequence, previousLeaf, safe);
            mac.mac(receipt.leafHashUnsafe(), macBytes);
            write(receipt.leafHashUnsafe(), writer);
            nextSequence++;
            previousLeaf = receipt.leafHashUnsafe();
            unsignedLeaves.add(receipt.leafHashUnsafe());
            appended = nextSequence;
            PendingCheckpoint pending = pendingCheckpoint.get(); // one volatile read: almost always null
            if (pending != null && pendingCheckpoint.compareAndSet(pending, null)) {
                writePending(pending);
            }
            if (signer == null) {
                checkpointer.checkpoint();
            }
            return receipt;
        } catch (RuntimeException e) {
            throw new ReceiptWriteException("could not append the receipt of action " + safe.id() + ": " + e, e);
        }
    }

    /**
     * Why the files this log writes (its lock file, the cycle file appended to) are no longer at their paths, or null
     * when they are: the directory deleted, moved away or replaced under the running writer, whose receipts from then on
     * would go to a file nobody can read ({@link HeldFiles}). One {@code stat} per file: for a sampling thread.
     */
    public String misplaced() {
        return held.misplaced();
    }

    /**
     * Whether a writer holding this log's signing key appended {@code stored} as it is: its bytes hash to the hash
     * recorded beside them, and that hash carries the key's MAC ({@link ReceiptMac}). Somebody who can write into the
     * directory but does not hold the key cannot make such an excerpt; receipts written under an earlier key (before
     * a rotation) do not pass either.
     */
    public boolean wrote(LogEntry.StoredReceipt stored) {
        if (stored.recordedHash().length != LogRecords.HASH_LENGTH || !stored.hashMatches()) {
            return false;
        }
        synchronized (macCheck) {
            return macCheck.matches(stored.recordedHash(), stored.mac());
        }
    }

    /** Content-addressed archive of a policy bundle: {@code policies/<version>.bundle}; idempotent. */
    public void archivePolicy(String version, byte[] bundle) throws IOException {
        policies.archive(version, bundle);
    }

    public Path directory() {
        return options.directory();
    }

    /**
     * {@code public-key.pem} next to the receipts: the public key of the log's first signing key, written when the
     * log is created and never replaced (a rotated log names its later keys in its rotation receipts).
     */
    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** Signs a checkpoint of everything appended so far, now, on the calling thread. */
    public void checkpoint() {
        checkpointer.checkpoint();
    }

    /**
     * Why the background signer's last attempt failed, if it did (receipts stay written and are
     * reported UNCHECKPOINTED until a later checkpoint succeeds). For the agent's health reporting.
     */
    public java.util.Optional<Throwable> lastCheckpointFailure() {
        return signer == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(signer.lastFailure());
    }

    /**
     * Appends a checkpoint this log wrote, now carrying witnesses' cosignatures, as a {@code 'W'}
     * excerpt. Accepted until the queue closes (also while {@link #close()} waits for the
     * {@link CheckpointListener}); afterwards it is dropped, and the method says so.
     *
     * @return false when the queue was already closed
     */
    public boolean recordCosigned(SignedNote cosigned) {
        String note = cosigned.format();
        lock.lock();
        try {
            if (queueClosed) {
                return false;
            }
            try (DocumentContext dc = document()) {
                LogRecords.writeCosigned(dc.wire().bytes(), note);
            }
            return true;
        } finally {
            release();
        }
    }

    /** The number of receipts the last written checkpoint covers. */
    public long checkpointedSize() {
        return checkpointer.checkpointedSize();
    }

    /** Writes a final checkpoint and closes the queue. Appends after close fail. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            release();
        }
        try {
            if (signer != null) {
                signer.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            checkpointer.checkpoint();
            if (listener != null) {
                closeListener();
            }
        } finally {
            lock.lock();
            try {
                queueClosed = true;
            } finally {
                release();
            }
            pagesAhead.close(); // the signer that touched pages has stopped; the chunk it held goes before the queue
            queue.close();
            rolls.trimAll();
            if (writerLock != null) {
                writerLock.close(); // last: the next writer finds the files as this one left them
            }
        }
    }

    private void closeListener() {
        try {
            listener.closing();
        } catch (RuntimeException e) {
            // its own failure: the log still closes
        }
    }

    private void write(byte[] leafHash, CanonicalJsonWriter encoded) {
        try (DocumentContext dc = document()) {
            try {
                LogRecords.writeReceipt(dc.wire().bytes(), leafHash, macBytes, encoded.buffer(), encoded.length());
                pagesAhead.appended(dc.wire().bytes(), dc.wire().bytes().writePosition());
            } catch (RuntimeException e) {
                dc.rollbackOnClose(); // never leave half a receipt in the queue
                throw e;
            }
        }
    }

    /**
     * A document to write one excerpt into. When the queue has just rolled to a new cycle file, the
     * first document of that file is filled with the cycle-start excerpt naming the previous file, and
     * a second one is opened. Costs one shift and one comparison otherwise.
     */
    private DocumentContext document() {
        DocumentContext dc = appender.writingDocument();
        int cycle = (int) (dc.index() >>> CYCLE_SHIFT);
        if (cycle == currentCycle) {
            return dc;
        }
        String file = ChronicleLayout.cycleFileName(cycle);
        if (file.equals(currentFile)) {
            currentCycle = cycle;
            return dc;
        }
        try {
            LogRecords.writeCycleStart(dc.wire().bytes(), currentFile == null ? "" : currentFile, nextSequence,
                    previousLeaf);
        } finally {
            dc.close();
        }
        currentFile = file;
        currentCycle = cycle;
        return appender.writingDocument();
    }

    /** The signer's: never waits for the lock. */
    private List<byte[]> takeUnsignedLeaves() {
        List<byte[]> taken = new ArrayList<>();
        for (byte[] leaf = unsignedLeaves.poll(); leaf != null; leaf = unsignedLeaves.poll()) {
            taken.add(leaf);
        }
        return taken;
    }

    /**
     * Writes a checkpoint into the queue, whose one appender is shared with append. The signer hands the
     * checkpoint to the appends and waits for one of them to write it under the lock it holds anyway; only when no
     * append came for {@link #handOverNanos} (the log is quiet) does it take the lock itself. Taking the lock
     * whenever it was free made each append that arrived during the write park until the signer let go: about 160
     * sleeps a second of the JDBC benchmark's thread, its p99.9. Strict mode, close and rotation call this on their
     * own threads the same way (strict mode while holding the lock, which is reentrant).
     */
    private void writeCheckpoint(SignedNote note, List<byte[]> frontier) {
        PendingCheckpoint pending = new PendingCheckpoint(note.format(), frontier);
        if (lock.isHeldByCurrentThread()) {
            lock.lock(); // reentrant, released below as the one taken by lockUnlessAnAppendWrites
        } else if (!lockUnlessAnAppendWrites(pending)) {
            pending.rethrowFailure();
            return;
        }
        try {
            // Appends take it only under the lock, and one that took it has written it: if not done, it is ours.
            if (!pending.isDone()) {
                pendingCheckpoint.compareAndSet(pending, null);
                writePending(pending);
            }
        } finally {
            release();
        }
        pending.rethrowFailure();
    }

    /**
     * Hands the checkpoint to the appends. True, with the lock taken, when none has written it within
     * {@link #handOverNanos} or the log is closed; false once one has.
     */
    private boolean lockUnlessAnAppendWrites(PendingCheckpoint pending) {
        pendingCheckpoint.set(pending);
        long since = System.nanoTime();
        while (!pending.isDone()) {
            // Once closed, no append will come (close's own checkpoint).
            if ((closed || System.nanoTime() - since >= handOverNanos) && lock.tryLock()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(this, 100_000L); // looks again: nobody wakes us
        }
        return false;
    }

    /** Under the lock. A failure is the checkpoint's, told to its signer: the receipt appended before it stands. */
    private void writePending(PendingCheckpoint pending) {
        RuntimeException failed = null;
        try (DocumentContext dc = document()) {
            dc.wire().bytes().write(pending.excerpt);
        } catch (RuntimeException e) {
            failed = e;
        }
        pending.done(failed);
    }

    /**
     * A newer cycle file means the queue rolled: checkpoint, so the receipts of the old file are signed
     * promptly. A cycle file older than the newest that the writer released is trimmed to what is written
     * (Chronicle extends every file it maps to its 80 MiB mapping), off the appending thread; at close,
     * every file this writer opened is. See {@link CycleFiles}.
     */
    private static final class RollListener implements StoreFileListener {
        volatile BackgroundSigner signer;
        private final HeldFiles held;
        private int newestCycle = Integer.MIN_VALUE; // Chronicle calls back on the thread that acquires
        private final java.util.Set<File> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.Queue<File> released = new java.util.concurrent.ConcurrentLinkedQueue<>();

        RollListener(HeldFiles held) {
            this.held = held;
        }

        @Override
        public synchronized void onAcquired(int cycle, File file) {
            if (cycle >= newestCycle) {
                held.hold("the cycle file", file.toPath()); // the one appended to: it must stay where it is
            }
            boolean rolled = newestCycle != Integer.MIN_VALUE && cycle > newestCycle;
            newestCycle = Math.max(newestCycle, cycle);
            opened.add(file);
            BackgroundSigner s = signer;
            if (rolled && s != null) {
                s.requestCheckpoint();
            }
        }

        @Override
        public synchronized void onReleased(int cycle, File file) {
            if (cycle < newestCycle) {
                released.add(file);
                BackgroundSigner s = signer;
                if (s != null) {
                    s.requestCheckpoint(); // wakes it to trim: the release may come after the roll's checkpoint ran
                }
            }
        }

        /** On the signer's thread; {@code beforeTrim} is told of each file first. */
        void trimReleased(java.util.function.Consumer<File> beforeTrim) {
            for (File file = released.poll(); file != null; file = released.poll()) {
                beforeTrim.accept(file);
                trim(file);
            }
        }

        /** After the queue closed: nothing of this writer maps a file any more. */
        void trimAll() {
            released.clear();
            opened.forEach(RollListener::trim);
        }

        private static void trim(File file) {
            try {
                CycleFiles.trim(file.toPath());
            } catch (java.io.IOException | RuntimeException e) {
                // Only the file's apparent size is at stake: its receipts are intact either way.
            }
        }
    }
}
