package dev.warden.verifier;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.VerificationKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read-ahead hands out every excerpt once, in queue order, each receipt parsed as {@code parse()} parses it and each
 * checkpoint's note checked against the given key.
 */
class ReadAheadTest {
    @TempDir
    Path tmp;

    @Test
    void everyExcerptInQueueOrderWhateverTheBatchesAndThreads() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir, 11);
        VerificationKey key = Ed25519Keys.readPublic(log.publicKey());
        List<String> expected = ReceiptReader.readAll(dir).stream().map(ReadAheadTest::where).toList();

        for (int threads : new int[] {1, 2, 3}) {
            for (int batch : new int[] {1, 2, 5, expected.size(), expected.size() + 1}) {
                List<String> seen = new ArrayList<>();
                int checkpoints = 0;
                try (ReceiptReader reader = ReceiptReader.open(dir); ReadAhead ahead = ReadAhead.over(reader, key, threads, batch)) {
                    for (ReadAhead.Parsed p = ahead.next(); p != null; p = ahead.next()) {
                        seen.add(where(p.entry()));
                        if (p.entry() instanceof LogEntry.StoredReceipt r) {
                            assertThat(p.receipt()).isEqualTo(parse(r));
                            assertThat(p.malformed()).isNull();
                        } else {
                            assertThat(p.receipt()).isNull();
                        }
                        if (p.entry() instanceof LogEntry.StoredCheckpoint) {
                            assertThat(p.checkpoint().unreadable()).isNull();
                            assertThat(p.checkpoint().verifiedBy("warden/test", key)).isTrue();
                            checkpoints++;
                        } else {
                            assertThat(p.checkpoint()).isNull();
                        }
                    }
                    assertThat(ahead.next()).isNull();
                }
                assertThat(seen).as("%d threads, batches of %d", threads, batch).isEqualTo(expected);
                assertThat(checkpoints).isEqualTo(3);
            }
        }
    }

    @Test
    void aReceiptThatDoesNotParseCarriesWhy() throws Exception {
        LogEntry.StoredReceipt broken = new LogEntry.StoredReceipt(Tamper.NOWHERE, new byte[32], new byte[16], "{}".getBytes());

        ReadAhead.Parsed p = ReadAhead.Parsed.of(broken, Ed25519Keys.generate(tmp.resolve("k.pem"), tmp.resolve("k.pub")).publicKey());

        assertThat(p.receipt()).isNull();
        assertThat(p.malformed()).hasMessageContaining("members are []");
    }

    @Test
    void aCheckpointReadAheadAnswersForTheKeyItWasCheckedAgainstAndChecksAnyOtherInLine() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir, 4);
        VerificationKey signer = Ed25519Keys.readPublic(log.publicKey());
        VerificationKey other = Ed25519Keys.generate(tmp.resolve("other.pem"), tmp.resolve("other.pub")).publicKey();
        LogEntry.StoredCheckpoint stored = (LogEntry.StoredCheckpoint) ReceiptReader.readAll(dir).stream()
                .filter(e -> e instanceof LogEntry.StoredCheckpoint).findFirst().orElseThrow();

        CheckpointRead checkedAgainstOther = CheckpointRead.of(stored, other);
        CheckpointRead checkedAgainstSigner = CheckpointRead.of(stored, signer);

        assertThat(checkedAgainstOther.verifiedBy("warden/test", other)).isFalse();
        assertThat(checkedAgainstOther.verifiedBy("warden/test", signer)).isTrue(); // in line: a rotation's next key
        assertThat(checkedAgainstSigner.verifiedBy("warden/test", signer)).isTrue();
        assertThat(checkedAgainstSigner.verifiedBy("another/name", signer)).isFalse();
        assertThat(checkedAgainstSigner.verifiedBy("warden/test", other)).isFalse();
        LogEntry.StoredCheckpoint altered = new LogEntry.StoredCheckpoint(stored.location(),
                stored.note().replaceFirst("\n4\n", "\n5\n"), stored.frontier());
        assertThat(CheckpointRead.of(altered, signer).verifiedBy("warden/test", signer)).isFalse();
        assertThat(CheckpointRead.of(new LogEntry.StoredCheckpoint(stored.location(), "not a note", List.of()), signer)
                .unreadable()).isNotNull();
    }

    /** An excerpt's kind and place (records holding arrays do not compare by content). */
    private static String where(LogEntry e) {
        return e.getClass().getSimpleName() + "@" + e.location();
    }

    private static dev.warden.receipts.Receipt parse(LogEntry.StoredReceipt r) {
        try {
            return r.parse();
        } catch (MalformedReceiptException e) {
            throw new AssertionError(e);
        }
    }
}
