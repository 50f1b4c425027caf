package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiptLogTest {
    @TempDir
    Path dir;

    @Test
    void appendChainsReceiptsFromGenesisAndReadsThemBackInOrder() throws Exception {
        List<Receipt> written = new ArrayList<>();
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            for (int i = 0; i < 3; i++) {
                written.add(log.append(Drafts.sql(i)));
            }
        }

        assertThat(written).extracting(Receipt::sequence).containsExactly(0L, 1L, 2L);
        assertThat(written.get(0).previousHash()).isEqualTo(Receipt.GENESIS_PREVIOUS);
        assertThat(written.get(1).previousHash()).isEqualTo(written.get(0).hash());
        assertThat(written.get(2).previousHash()).isEqualTo(written.get(1).hash());
        assertThat(written).extracting(Receipt::chain).containsOnly(written.get(0).chain());
        assertThat(ReceiptReader.receipts(dir)).containsExactlyElementsOf(written);
    }

    /** What an operator's rollback trusts a receipt for: written by a writer holding the log's key, as it is. */
    @Test
    void theLogVouchesOnlyForExcerptsItsKeyWroteAsTheyAre(@TempDir Path other) throws Exception {
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir));
             ReceiptLog foreign = ReceiptLog.open(ReceiptLogOptions.defaults(other))) {
            log.append(Drafts.sql(0));
            List<LogEntry.StoredReceipt> stored = new ArrayList<>();
            try (ReceiptReader reader = ReceiptReader.open(dir)) {
                for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                    if (entry instanceof LogEntry.StoredReceipt receipt) {
                        stored.add(receipt);
                    }
                }
            }
            assertThat(stored).hasSize(1);
            LogEntry.StoredReceipt genuine = stored.get(0);
            byte[] altered = genuine.bytes().clone();
            altered[altered.length - 2] ^= 1;

            assertThat(log.wrote(genuine)).isTrue();
            assertThat(foreign.wrote(genuine)).as("another key's log").isFalse();
            assertThat(log.wrote(new LogEntry.StoredReceipt(genuine.location(), genuine.recordedHash(), genuine.mac(), altered)))
                    .as("the bytes changed under their recorded hash and MAC").isFalse();
            assertThat(log.wrote(new LogEntry.StoredReceipt(genuine.location(), TreeHashes.leaf(altered), genuine.mac(), altered)))
                    .as("the bytes changed and hashed again, without the key").isFalse();
        }
    }

    @Test
    void theReceiptHashIsTheRfc6962LeafHashOfItsCanonicalBytes() throws Exception {
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            Receipt r = log.append(Drafts.sql(0));
            byte[] prefixed = new byte[r.canonicalBytes().length + 1];
            System.arraycopy(r.canonicalBytes(), 0, prefixed, 1, prefixed.length - 1);
            assertThat(r.hash()).isEqualTo(Hex.of(Sha256.of(prefixed)));
        }
    }

    @Test
    void summaryValuesUnderSecretNamedKeysAreRedactedWhateverTheGateDid() throws Exception {
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            Receipt r = log.append(Drafts.withSummary(Map.of(
                    "db.password", "hunter2", "X-Api-Key", "k-123", "Set-Cookie", "sid=1", "header.Authorization", "Bearer x",
                    "oauth_token", "t", "client-secret", "s", "passwd", "p", "url", "jdbc:h2:mem:test")));
            assertThat(r.summary()).containsOnly(
                    Map.entry("db.password", "[redacted]"), Map.entry("X-Api-Key", "[redacted]"),
                    Map.entry("Set-Cookie", "[redacted]"), Map.entry("header.Authorization", "[redacted]"),
                    Map.entry("oauth_token", "[redacted]"), Map.entry("client-secret", "[redacted]"),
                    Map.entry("passwd", "[redacted]"), Map.entry("url", "jdbc:h2:mem:test"));
            assertThat(new String(r.canonicalBytes())).doesNotContain("hunter2", "k-123", "Bearer");
        }
    }

    @Test
    void closeSignsACheckpointCoveringEveryReceipt() throws Exception {
        List<Receipt> written = new ArrayList<>();
        Path publicKey;
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withOrigin("warden/test"))) {
            for (int i = 0; i < 5; i++) {
                written.add(log.append(Drafts.sql(i)));
            }
            publicKey = log.publicKeyFile();
        }

        LogEntry.StoredCheckpoint last = lastCheckpoint(dir);
        SignedNote note = SignedNote.parse(last.note());
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        assertThat(checkpoint.origin()).isEqualTo("warden/test");
        assertThat(checkpoint.size()).isEqualTo(5);
        CompactRange tree = new CompactRange();
        written.forEach(r -> tree.append(r.leafHash()));
        assertThat(checkpoint.rootHash()).isEqualTo(Hex.of(tree.root()));
        assertThat(note.verifiedBy("warden/test", Ed25519Keys.readPublic(publicKey))).isTrue();
    }

    @Test
    void theBackgroundSignerCheckpointsEveryNReceiptsOnAThreadFromTheGivenFactory() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory marking = r -> {
            Thread t = new Thread(r, "marked-by-agent");
            made.add(t);
            return t;
        };
        ReceiptLogOptions options = ReceiptLogOptions.defaults(dir).withThreadFactory(marking)
                .withCheckpoints(4, Duration.ofHours(1));
        try (ReceiptLog log = ReceiptLog.open(options)) {
            for (int i = 0; i < 4; i++) {
                log.append(Drafts.sql(i));
            }
            awaitCheckpointedSize(log, 4);
            assertThat(made).hasSize(1);
            assertThat(made.get(0).isAlive()).isTrue();
        }
        assertThat(made.get(0).isAlive()).isFalse();
    }

    @Test
    void theSignerNeverWaitsForAnAppendItHandsItsCheckpointToTheAppendHoldingTheLock() throws Exception {
        try (ReceiptLog log = threeReceiptsUnsigned()) {
            Thread signer = new Thread(log::checkpoint, "signing");
            log.lock.lock(); // as an append in progress holds it
            try {
                signer.start();
                awaitParked(signer);
                log.append(Drafts.sql(3)); // writes the waiting checkpoint before it lets go of the lock
                signer.join(Duration.ofSeconds(10).toMillis());
                assertThat(signer.isAlive()).as("the signer finished while the lock was still held").isFalse();
            } finally {
                log.lock.unlock();
            }
            assertThat(log.checkpointedSize()).isEqualTo(3);
        }
        assertThat(receiptsAndCheckpoints()).as("receipts by sequence, checkpoints by minus their size")
                .containsExactly(0L, 1L, 2L, 3L, -3L, -4L);
    }

    @Test
    void whileReceiptsFlowTheSignerLeavesItsCheckpointToTheNextAppendEvenWhenTheLogIsFree() throws Exception {
        try (ReceiptLog log = threeReceiptsUnsigned()) {
            log.handOverNanos = Duration.ofHours(1).toNanos(); // an append always comes first
            Thread signer = new Thread(log::checkpoint, "signing");
            signer.start();
            awaitParked(signer);
            assertThat(log.lock.isLocked()).as("the signer does not hold the log while it waits").isFalse();
            log.append(Drafts.sql(3)); // finds the lock free, and writes the waiting checkpoint after its receipt
            signer.join(Duration.ofSeconds(10).toMillis());
            assertThat(signer.isAlive()).as("the signer finished once an append wrote its checkpoint").isFalse();
            assertThat(log.checkpointedSize()).isEqualTo(3);
        }
        assertThat(receiptsAndCheckpoints()).as("receipts by sequence, checkpoints by minus their size")
                .containsExactly(0L, 1L, 2L, 3L, -3L, -4L);
    }

    @Test
    void onAQuietLogTheSignerWritesItsCheckpointItself() throws Exception {
        try (ReceiptLog log = threeReceiptsUnsigned()) {
            log.checkpoint(); // no append comes: written once the hand-over time has passed
            assertThat(log.checkpointedSize()).isEqualTo(3);
            log.append(Drafts.sql(3));
        }
        assertThat(receiptsAndCheckpoints()).containsExactly(0L, 1L, 2L, -3L, 3L, -4L);
    }

    @Test
    void anAppendThatFindsTheLogBusyIsAppendedByTheThreadHoldingItInArrivalOrder() throws Exception {
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            java.util.concurrent.atomic.AtomicReference<Receipt> queued = new java.util.concurrent.atomic.AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    queued.set(log.append(Drafts.sql(1)));
                } catch (ReceiptWriteException e) {
                    throw new IllegalStateException(e);
                }
            }, "queued");
            Receipt mine;
            log.lock.lock(); // as an append in progress holds it
            try {
                other.start();
                awaitParked(other);
                mine = log.append(Drafts.sql(2)); // appends what waited before it, then its own
                other.join(Duration.ofSeconds(10).toMillis());
                assertThat(other.isAlive()).as("the queued append returned while the lock was still held").isFalse();
            } finally {
                log.lock.unlock();
            }
            assertThat(queued.get().sequence()).isEqualTo(0);
            assertThat(mine.sequence()).isEqualTo(1);
            assertThat(mine.previousHash()).isEqualTo(queued.get().hash());
        }
    }

    @Test
    void strictModeSignsACheckpointInsideEveryAppend() throws Exception {
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withSignEveryReceipt(true))) {
            for (int i = 1; i <= 3; i++) {
                log.append(Drafts.sql(i));
                assertThat(log.checkpointedSize()).isEqualTo(i);
            }
        }
    }

    @Test
    void concurrentAppendsFormOneGaplessChain() throws Exception {
        int threads = 4;
        int each = 500;
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        log.append(Drafts.sql(base + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }

        List<Receipt> receipts = ReceiptReader.receipts(dir);
        assertThat(receipts).hasSize(threads * each);
        for (int i = 0; i < receipts.size(); i++) {
            assertThat(receipts.get(i).sequence()).isEqualTo(i);
            if (i > 0) {
                assertThat(receipts.get(i).previousHash()).isEqualTo(receipts.get(i - 1).hash());
            }
        }
    }

    @Test
    void aGeneratedKeyIsOwnerOnlyAndReusedOnTheNextOpen() throws Exception {
        String firstPublicKey;
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            firstPublicKey = Files.readString(log.publicKeyFile());
        }
        Path privateKey = dir.resolve(ReceiptLog.GENERATED_PRIVATE_KEY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");

        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            assertThat(Files.readString(log.publicKeyFile())).isEqualTo(firstPublicKey);
        }
    }

    @Test
    void aReopenedLogContinuesTheChainFromItsLastReceipt() throws Exception {
        Receipt lastBefore;
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            log.append(Drafts.sql(0));
            lastBefore = log.append(Drafts.sql(1));
        }
        Receipt firstAfter;
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            firstAfter = log.append(Drafts.sql(2));
        }

        assertThat(firstAfter.chain()).isEqualTo(lastBefore.chain());
        assertThat(firstAfter.sequence()).isEqualTo(2);
        assertThat(firstAfter.previousHash()).isEqualTo(lastBefore.hash());
        assertThat(Checkpoint.parse(SignedNote.parse(lastCheckpoint(dir).note()).text()).size()).isEqualTo(3);
    }

    @Test
    void appendAfterCloseIsRefusedSoTheGateDenies() throws Exception {
        ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir));
        log.close();
        assertThatThrownBy(() -> log.append(Drafts.sql(0)))
                .isInstanceOf(ReceiptWriteException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void policiesAreArchivedUnderTheirHashAndOnlyThere() throws Exception {
        byte[] bundle = "test".getBytes();
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            log.archivePolicy(Drafts.POLICY, bundle);
            log.archivePolicy(Drafts.POLICY, bundle);
            assertThatThrownBy(() -> log.archivePolicy(Drafts.POLICY, "other".getBytes()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new PolicyArchive(dir).read(Drafts.POLICY)).contains(bundle);
        assertThat(Files.readAllBytes(dir.resolve("policies").resolve(Drafts.POLICY + ".bundle"))).isEqualTo(bundle);
    }

    static LogEntry.StoredCheckpoint lastCheckpoint(Path dir) throws Exception {
        return ReceiptReader.readAll(dir).stream()
                .filter(LogEntry.StoredCheckpoint.class::isInstance).map(LogEntry.StoredCheckpoint.class::cast)
                .reduce((a, b) -> b).orElseThrow();
    }

    /** A log with receipts 0 to 2 appended, and no checkpoint due by count or time. */
    private ReceiptLog threeReceiptsUnsigned() throws Exception {
        ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withCheckpoints(1_000_000, Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            log.append(Drafts.sql(i));
        }
        return log;
    }

    /** The queue's excerpts in order: a receipt as its sequence, a checkpoint as minus its size. */
    private List<Long> receiptsAndCheckpoints() throws Exception {
        List<Long> order = new ArrayList<>();
        for (LogEntry entry : ReceiptReader.readAll(dir)) {
            if (entry instanceof LogEntry.StoredCheckpoint c) {
                order.add(-Checkpoint.parse(SignedNote.parse(c.note()).text()).size());
            } else if (entry instanceof LogEntry.StoredReceipt r) {
                order.add(r.parse().sequence());
            }
        }
        return order;
    }

    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(thread.getState()).isIn(Thread.State.TIMED_WAITING, Thread.State.WAITING);
    }

    // Polls the log's own state with a bounded wait: the signer runs on its own schedule.
    private static void awaitCheckpointedSize(ReceiptLog log, long size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (log.checkpointedSize() < size && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(log.checkpointedSize()).isEqualTo(size);
    }
}
