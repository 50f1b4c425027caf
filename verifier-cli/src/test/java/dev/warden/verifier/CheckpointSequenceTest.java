package dev.warden.verifier;

import dev.warden.receipts.LogEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checkpoints form a signed sequence: none deleted, repeated or moved, and their frontiers are the tree's. */
class CheckpointSequenceTest {
    @TempDir
    Path tmp;
    SampleLog log;
    Path dir;

    @BeforeEach
    void writeLog() throws Exception {
        dir = tmp.resolve("receipts");
        log = SampleLog.write(dir); // checkpoints of 4, 8 and 10 receipts
    }

    @Test
    void aDeletedCheckpointThatIsNotTheLastIsNamedByTheOneAfterIt() throws Exception {
        Tamper.rewrite(dir, entries -> {
            entries.remove(VerifyTamperTest.checkpoints(entries).get(1));
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).containsPattern("MISSING: checkpoint 8 \\(warden/test\\): named by the checkpoint at [0-9]{8}F\\.cq4@0x[0-9a-f]+ "
                + "as the one before it, but not in the queue after [0-9]{8}F\\.cq4@0x[0-9a-f]+ \\(deleted\\)");
    }

    @Test
    void aDuplicatedCheckpoint() throws Exception {
        Tamper.rewrite(dir, entries -> {
            LogEntry.StoredCheckpoint first = VerifyTamperTest.checkpoints(entries).get(0);
            entries.add(entries.indexOf(first) + 1, first);
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).containsPattern("INVALID: checkpoint 4 \\(warden/test\\): a second copy of the checkpoint at "
                + "[0-9]{8}F\\.cq4@0x[0-9a-f]+ \\(at [0-9]{8}F\\.cq4@0x[0-9a-f]+\\)");
    }

    @Test
    void aCheckpointMovedBeforeTheReceiptsItCovers() throws Exception {
        Tamper.rewrite(dir, entries -> {
            LogEntry.StoredCheckpoint last = VerifyTamperTest.checkpoints(entries).get(2);
            entries.remove(last);
            entries.add(entries.indexOf(VerifyTamperTest.receiptEntry(entries, 9)), last);
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: checkpoint 10 (warden/test): comes before receipts it covers (only 9 receipts precede it): moved");
    }

    @Test
    void aFrontierThatIsNotTheTree() throws Exception {
        Tamper.rewrite(dir, entries -> {
            LogEntry.StoredCheckpoint first = VerifyTamperTest.checkpoints(entries).get(0);
            List<byte[]> frontier = new ArrayList<>(first.frontier());
            frontier.set(0, new byte[32]);
            entries.set(entries.indexOf(first), new LogEntry.StoredCheckpoint(Tamper.NOWHERE, first.note(), frontier));
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: checkpoint 4 (warden/test): its stored frontier is not the tree of receipts 0..3");
    }
}
