package dev.warden.verifier;

import dev.warden.receipts.LogEntry;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A restarted writer signs only its own tail, and never appends where Chronicle's hints disagree with the data. */
class HonestRecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void aForgedTailIsUncheckpointedBeforeARestartAndRejectedNeverSignedAfterIt() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir);
        List<Receipt> forged = new ArrayList<>();
        Receipt previous = log.receipt(9);
        for (int i = 10; i < 13; i++) {
            previous = Receipt.seal(previous.chain(), i, previous.hash(), SampleLog.draft(i));
            forged.add(previous);
        }
        Tamper.rewrite(dir, entries -> {
            forged.forEach(f -> entries.add(new LogEntry.StoredReceipt(Tamper.NOWHERE, f.leafHash(), new byte[16], f.canonicalBytes())));
            return entries;
        });
        Cli before = Cli.run("verify", dir, "--public-key", log.publicKey());
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.out()).contains("UNCHECKPOINTED: receipts 10..12: no valid signed checkpoint covers 3 receipt(s)");

        try (ReceiptLog reopened = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withOrigin("warden/test"))) {
            reopened.append(SampleLog.draft(13));
        }

        Cli after = Cli.run("verify", dir, "--public-key", log.publicKey());
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.out()).containsPattern("REJECTED: 3 receipt excerpt\\(s\\) [0-9]{8}F\\.cq4@0x[0-9a-f]+\\.\\.[0-9]{8}F\\.cq4@0x[0-9a-f]+: "
                        + "the restarted writer refused them \\(.*its MAC is not this signing key's: not written by this writer \\(forged\\)")
                .doesNotContain("RECOVERED").doesNotContain("UNCHECKPOINTED")
                .endsWith("12/12 receipts valid, 5/5 checkpoints valid, 12 receipts checkpointed, 1 policy versions, 1 problem\n");
        List<Receipt> chained = chainedReceipts(dir);
        assertThat(chained.get(10).operation()).isEqualTo("recover");
        assertThat(chained.get(10).previousHash()).isEqualTo(log.receipt(9).hash());
        assertThat(chained.get(11).previousHash()).isEqualTo(chained.get(10).hash());
    }

    @Test
    void aWritePositionHintMovedPastTheEndMakesTheWriterRefuseToAppendAndTheVerifierSayWhere() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir);
        Path file = Tamper.queueFiles(dir).get(0);
        setWritePositionHint(file, 0x40000);

        assertThatThrownBy(() -> ReceiptLog.open(ReceiptLogOptions.defaults(dir).withOrigin("warden/test")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refusing to append to the receipts queue")
                .hasMessageContaining("write-position hint 0x40000 is not the offset of a document");
        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).containsPattern("INVALID: cycle file [0-9]{8}F\\.cq4: the header's write-position hint 0x40000 is not "
                + "the offset of a document in the file.*\\(at [0-9]{8}F\\.cq4@0x0\\)");
        assertThat(chainedReceipts(dir)).hasSize(10);
    }

    @Test
    void aRestartTheSameDayDoesNotStartANewCycleAndTheFileNamesNoPredecessor() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir);
        try (ReceiptLog reopened = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withOrigin("warden/test"))) {
            reopened.append(SampleLog.draft(10));
        }

        List<LogEntry.CycleStart> starts = ReceiptReader.readAll(dir).stream().filter(LogEntry.CycleStart.class::isInstance)
                .map(LogEntry.CycleStart.class::cast).toList();
        assertThat(starts).singleElement().satisfies(s -> {
            assertThat(s.previousFile()).isEmpty();
            assertThat(s.nextSequence()).isZero();
        });
        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());
        assertThat(cli.exitCode()).as(cli.out()).isZero();
    }

    static void setWritePositionHint(Path cycleFile, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(cycleFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(256);
            ch.read(header, 0);
            byte[] bytes = header.array();
            int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("writePosition");
            int values = at + "writePosition".length();
            while (bytes[values] != (byte) 0x8D) {
                values++;
            }
            ByteBuffer hint = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(position).putLong(position << 32);
            ch.write(hint.flip(), values + 1 + 16);
        }
    }

    static List<Receipt> chainedReceipts(Path dir) throws Exception {
        List<Receipt> out = new ArrayList<>();
        for (LogEntry e : ReceiptReader.readAll(dir)) {
            if (e instanceof LogEntry.StoredReceipt r && r.hashMatches()) {
                Receipt receipt = r.parse();
                out.removeIf(x -> x.sequence() >= receipt.sequence()); // a restart forks away from refused excerpts
                out.add(receipt);
            }
        }
        return out;
    }
}
