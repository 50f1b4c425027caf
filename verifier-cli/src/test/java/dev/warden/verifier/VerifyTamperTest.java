package dev.warden.verifier;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way of tampering with a real receipts directory is caught, named, and exits 1. */
class VerifyTamperTest {
    @TempDir
    Path tmp;
    SampleLog log;
    Path dir;

    @BeforeEach
    void writeLog() throws Exception {
        dir = tmp.resolve("receipts");
        log = SampleLog.write(dir);
    }

    @Test
    void anUntouchedLogIsAllValidAndExitsZero() {
        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).isEqualTo("10/10 receipts valid, 3/3 checkpoints valid, 10 receipts checkpointed, "
                + "1 policy versions, 0 problems\n");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void oneByteChangedInsideAReceipt() throws Exception {
        Tamper.editBytes(dir, "8000-000000000003", "8000-000000000009");

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: receipt 3 (01935f3c-7b2a-7000-8000-000000000009): its bytes do not hash "
                + "to the hash recorded when it was written (altered after writing)");
        assertThat(cli.out()).hasLineCount(2).contains("\n9/10 receipts valid, 3/3 checkpoints valid");
    }

    @Test
    void aReceiptDeleted() throws Exception {
        Tamper.rewrite(dir, entries -> without(entries, receiptEntry(entries, 5)));

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("MISSING: " + name(6) + ": receipts 5..5 are missing before it");
    }

    @Test
    void twoReceiptsSwapped() throws Exception {
        Tamper.rewrite(dir, entries -> {
            Collections.swap(entries, entries.indexOf(receiptEntry(entries, 1)), entries.indexOf(receiptEntry(entries, 2)));
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("MISSING: " + name(2) + ": receipts 1..1 are missing before it")
                .contains("INVALID: " + name(1) + ": out of order: sequence 1 where 3 was due")
                .contains("INVALID: checkpoint 4 (warden/test): Merkle root");
    }

    @Test
    void aForgedReceiptInsertedAtTheTailIsNotCoveredByAnySignature() throws Exception {
        Receipt last = log.receipt(9);
        Receipt forged = Receipt.seal(last.chain(), 10, last.hash(), SampleLog.draft(10));
        Tamper.rewrite(dir, entries -> {
            entries.add(new LogEntry.StoredReceipt(Tamper.NOWHERE, forged.leafHash(), new byte[16], forged.canonicalBytes()));
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("UNCHECKPOINTED: receipt 10: no valid signed checkpoint covers 1 receipt(s)")
                .contains("10/11 receipts valid");
    }

    @Test
    void aForgedReceiptInsertedInTheMiddle() throws Exception {
        Receipt before = log.receipt(4);
        Receipt forged = Receipt.seal(before.chain(), 5, before.hash(), SampleLog.draft(42));
        Tamper.rewrite(dir, entries -> {
            entries.add(entries.indexOf(receiptEntry(entries, 5)), new LogEntry.StoredReceipt(Tamper.NOWHERE, forged.leafHash(), new byte[16], forged.canonicalBytes()));
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: " + name(5) + ": out of order: sequence 5 where 6 was due")
                .contains("INVALID: checkpoint 8 (warden/test): Merkle root of receipts 0..7 does not match");
    }

    @Test
    void theTailCut() throws Exception {
        Tamper.rewrite(dir, entries -> cutReceiptsFrom(entries, 7));

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("MISSING: checkpoint 8 (warden/test): it covers 8 receipts but only 7 are present: "
                + "receipt 7 were removed");
    }

    @Test
    void aCheckpointSignedByAnotherKey() throws Exception {
        SigningKey other = Ed25519Keys.generate(tmp.resolve("other.pem"), tmp.resolve("other.pub.pem"));
        Tamper.rewrite(dir, entries -> {
            LogEntry.StoredCheckpoint original = checkpoints(entries).get(1);
            String body = SignedNote.parse(original.note()).text();
            SignedNote forged = SignedNote.sign(body, "warden/test", other);
            entries.set(entries.indexOf(original), new LogEntry.StoredCheckpoint(Tamper.NOWHERE, forged.format(), original.frontier()));
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).containsPattern("INVALID: checkpoint 8 \\(warden/test\\): not signed by the given public key "
                + "\\(signed by warden/test\\+[0-9a-f]{8}\\)");
    }

    @Test
    void aCheckpointAlteredAfterSigning() throws Exception {
        Tamper.rewrite(dir, entries -> {
            LogEntry.StoredCheckpoint original = checkpoints(entries).get(0);
            String altered = original.note().replaceFirst("\n4\n", "\n3\n");
            entries.set(entries.indexOf(original), new LogEntry.StoredCheckpoint(Tamper.NOWHERE, altered, original.frontier()));
            return entries;
        });

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: checkpoint 3 (warden/test): signature does not verify: the note was altered after signing");
    }

    @Test
    void theWrongPublicKey() throws Exception {
        Ed25519Keys.generate(tmp.resolve("other.pem"), tmp.resolve("other.pub.pem"));

        Cli cli = Cli.run("verify", dir, "--public-key", tmp.resolve("other.pub.pem"));

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: checkpoint 4 (warden/test): not signed by the given public key")
                .contains("UNCHECKPOINTED: receipts 0..9: no valid signed checkpoint covers 10 receipt(s)")
                .contains("0/10 receipts valid, 0/3 checkpoints valid");
    }

    @Test
    void aMissingPolicyBundle() throws Exception {
        Files.delete(dir.resolve("policies").resolve(SampleLog.POLICY_VERSION + ".bundle"));

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("MISSING: policy " + SampleLog.POLICY_VERSION + ": named by " + name(0) + " but not archived");
    }

    @Test
    void anArchivedPolicyThatWasEdited() throws Exception {
        Files.writeString(dir.resolve("policies").resolve(SampleLog.POLICY_VERSION + ".bundle"), "rule permit-everything");

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: policy " + SampleLog.POLICY_VERSION + ": the archived bundle does not hash to its version");
    }

    @Test
    void jsonOutputCarriesTheVerdictAndEveryProblem() throws Exception {
        Tamper.editBytes(dir, "8000-000000000003", "8000-000000000009");

        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey(), "--json");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).startsWith("{\"directory\":").contains("\"valid\":false", "\"receipts\":10",
                "{\"kind\":\"INVALID\",\"subject\":\"receipt 3 (01935f3c-7b2a-7000-8000-000000000009)\"");
        assertThat(cli.out().lines()).hasSize(1);
    }

    private String name(int sequence) {
        return "receipt " + sequence + " (" + log.receipt(sequence).id() + ")";
    }

    static LogEntry receiptEntry(List<LogEntry> entries, int sequence) {
        return entries.stream().filter(e -> e instanceof LogEntry.StoredReceipt).skip(sequence).findFirst().orElseThrow();
    }

    static List<LogEntry.StoredCheckpoint> checkpoints(List<LogEntry> entries) {
        return entries.stream().filter(e -> e instanceof LogEntry.StoredCheckpoint).map(LogEntry.StoredCheckpoint.class::cast).toList();
    }

    private static List<LogEntry> without(List<LogEntry> entries, LogEntry removed) {
        entries.remove(removed);
        return entries;
    }

    /** Drops receipts from {@code sequence} on, keeping every checkpoint: what `truncate` on the queue file would leave. */
    private static List<LogEntry> cutReceiptsFrom(List<LogEntry> entries, int sequence) {
        LogEntry first = receiptEntry(entries, sequence);
        List<LogEntry> kept = new java.util.ArrayList<>(entries.subList(0, entries.indexOf(first)));
        entries.subList(entries.indexOf(first), entries.size()).stream()
                .filter(e -> e instanceof LogEntry.StoredCheckpoint).forEach(kept::add);
        return kept;
    }
}
