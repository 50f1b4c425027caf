package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** What the log tells a checkpoint listener (a witness feed), and the cosigned checkpoints it records. */
class CheckpointListenerTest {
    @TempDir
    Path dir;

    @Test
    void eachCheckpointComesWithAProofFromThePreviousOneAndTheLeavesSinceIt() throws Exception {
        List<NewCheckpoint> told = new CopyOnWriteArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        try (ReceiptLog log = ReceiptLog.open(strict(), told::add)) {
            for (int i = 0; i < 5; i++) {
                leaves.add(log.append(Drafts.sql(i)).leafHash());
            }
        }
        // strict mode: one checkpoint per receipt
        assertThat(told).extracting(c -> c.checkpoint().size()).containsExactly(1L, 2L, 3L, 4L, 5L);
        for (NewCheckpoint c : told) {
            long size = c.checkpoint().size();
            assertThat(c.previousSize()).isEqualTo(size - 1);
            assertThat(c.checkpoint().rootHash()).isEqualTo(Hex.of(InclusionProofs.root(leaves, 0, (int) size)));
            assertThat(c.appended()).hasSize(1);
            assertThat(c.appended().get(0)).isEqualTo(leaves.get((int) size - 1));
            byte[] previousRoot = InclusionProofs.root(leaves, 0, (int) c.previousSize());
            assertThat(ConsistencyProofs.verify(c.previousSize(), previousRoot, size, Hex.parse(c.checkpoint().rootHash()), c.proof()))
                    .as("proof %d -> %d", c.previousSize(), size).isTrue();
            assertThat(c.note().verifiedBy(c.checkpoint().origin(), Ed25519Keys.readPublic(dir.resolve(ReceiptLog.PUBLIC_KEY)))).isTrue();
        }
    }

    @Test
    void aReopenedLogProvesFromTheLastCheckpointOfThePreviousRun() throws Exception {
        ReceiptLogOptions options = ReceiptLogOptions.defaults(dir).withCheckpoints(1000, Duration.ofHours(1));
        List<byte[]> leaves = new ArrayList<>();
        try (ReceiptLog log = ReceiptLog.open(options)) {
            for (int i = 0; i < 7; i++) {
                leaves.add(log.append(Drafts.sql(i)).leafHash());
            }
        }
        List<NewCheckpoint> told = new CopyOnWriteArrayList<>();
        try (ReceiptLog log = ReceiptLog.open(options, told::add)) {
            for (int i = 7; i < 12; i++) {
                leaves.add(log.append(Drafts.sql(i)).leafHash());
            }
        }
        assertThat(told).hasSize(1);
        NewCheckpoint c = told.get(0);
        assertThat(c.previousSize()).isEqualTo(7);
        assertThat(c.checkpoint().size()).isEqualTo(12);
        assertThat(ConsistencyProofs.verify(7, InclusionProofs.root(leaves, 0, 7), 12, InclusionProofs.root(leaves, 0, 12), c.proof()))
                .isTrue();
    }

    @Test
    void cosignedCheckpointsAreRecordedUntilTheQueueClosesAlsoWhileTheListenerIsClosing() throws Exception {
        List<Boolean> recordedWhileClosing = new ArrayList<>();
        ReceiptLog[] opened = new ReceiptLog[1];
        List<NewCheckpoint> told = new CopyOnWriteArrayList<>();
        CheckpointListener listener = new CheckpointListener() {
            @Override
            public void signed(NewCheckpoint checkpoint) {
                told.add(checkpoint);
            }

            @Override
            public void closing() {
                recordedWhileClosing.add(opened[0].recordCosigned(told.get(told.size() - 1).note()));
            }
        };
        ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withCheckpoints(1000, Duration.ofHours(1)), listener);
        opened[0] = log;
        log.append(Drafts.sql(0));
        log.checkpoint();
        assertThat(log.recordCosigned(told.get(0).note())).isTrue();
        log.append(Drafts.sql(1));
        log.close();

        assertThat(recordedWhileClosing).containsExactly(true);
        assertThat(log.recordCosigned(told.get(0).note())).as("after close").isFalse();
        List<LogEntry> entries = ReceiptReader.readAll(dir);
        assertThat(entries).filteredOn(e -> e instanceof LogEntry.StoredCosigned).extracting(e -> ((LogEntry.StoredCosigned) e).note())
                .containsExactly(told.get(0).note().format(), told.get(1).note().format());
        assertThat(entries.get(entries.size() - 1)).isInstanceOf(LogEntry.StoredCosigned.class);
    }

    private ReceiptLogOptions strict() {
        return ReceiptLogOptions.defaults(dir).withSignEveryReceipt(true);
    }
}
