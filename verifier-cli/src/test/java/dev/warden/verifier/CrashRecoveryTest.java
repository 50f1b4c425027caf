package dev.warden.verifier;

import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A writer killed mid-append: the torn excerpt is never a receipt, the unsigned tail is reported, the chain continues. */
class CrashRecoveryTest {
    private static final List<String> CHRONICLE_FLAGS = List.of("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED");

    @TempDir
    Path tmp;

    @Test
    void afterAKillMidAppendTheTailIsUncheckpointedAndARestartContinuesTheChain() throws Exception {
        Path dir = tmp.resolve("receipts");
        assertThat(runCrashingWriter(dir, 5)).isEqualTo(137);

        Cli afterCrash = Cli.run("verify", dir, "--public-key", dir.resolve("public-key.pem"));
        assertThat(afterCrash.exitCode()).isEqualTo(1);
        assertThat(afterCrash.out()).containsPattern("TRUNCATED: cycle file [0-9]{8}F.cq4: an excerpt whose header was never "
                        + "written \\(bytes 0x[0-9a-f]+\\.\\.0x[0-9a-f]+\\): a write cut short by a crash")
                .contains("UNCHECKPOINTED: receipts 0..4: no valid signed checkpoint covers 5 receipt(s) (at ")
                .endsWith("0/5 receipts valid, 0/0 checkpoints valid, 0 receipts checkpointed, 1 policy versions, 2 problems\n");

        Receipt firstAfterRestart;
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withOrigin("warden/test"))) {
            firstAfterRestart = log.append(SampleLog.draft(5));
        }
        List<Receipt> receipts = ReceiptReader.receipts(dir);
        assertThat(receipts).hasSize(7);
        Receipt recovery = receipts.get(5);
        assertThat(recovery.surface()).isEqualTo("warden");
        assertThat(recovery.operation()).isEqualTo("recover");
        assertThat(recovery.summary()).containsEntry("recovered", "0..4").containsEntry("rejected", "0")
                .containsEntry("head", receipts.get(4).hash()).containsKey("torn");
        assertThat(firstAfterRestart.sequence()).isEqualTo(6);
        assertThat(firstAfterRestart.previousHash()).isEqualTo(recovery.hash());
        assertThat(firstAfterRestart.chain()).isEqualTo(receipts.get(0).chain());

        // Recovered, not plain valid: exit 3, and the range is named.
        Cli afterRestart = Cli.run("verify", dir, "--public-key", dir.resolve("public-key.pem"));
        assertThat(afterRestart.exitCode()).as(afterRestart.out()).isEqualTo(3);
        assertThat(afterRestart.out()).startsWith("RECOVERED: receipts 0..4: written before the writer stopped without signing them")
                .endsWith("7/7 receipts valid, 2/2 checkpoints valid, 7 receipts checkpointed, 1 policy versions, "
                        + "5 recovered after a crash, 0 problems\n");
    }

    @Test
    void aReceiptDamagedByPowerLossIsSkippedOnRestartAndReportedTruncated() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir, 4);
        // A complete excerpt header over a payload the disk never got: what a partial page flush leaves.
        Tamper.rewrite(dir, entries -> {
            entries.add(new dev.warden.receipts.LogEntry.StoredReceipt(Tamper.NOWHERE, new byte[32], new byte[16], new byte[40]));
            return entries;
        });
        try (ReceiptLog reopened = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withOrigin("warden/test"))) {
            reopened.append(SampleLog.draft(4));
        }

        List<Receipt> receipts = new ArrayList<>();
        for (dev.warden.receipts.LogEntry e : ReceiptReader.readAll(dir)) {
            if (e instanceof dev.warden.receipts.LogEntry.StoredReceipt r && r.hashMatches() && r.parse().sequence() >= 4) {
                receipts.add(r.parse());
            }
        }
        assertThat(receipts).extracting(Receipt::operation).containsExactly("recover", "SELECT");
        assertThat(receipts.get(0).previousHash()).isEqualTo(log.receipt(3).hash());
        assertThat(receipts.get(0).summary()).containsEntry("rejected", "1").containsEntry("recovered", "");
        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).containsPattern("REJECTED: 1 receipt excerpt\\(s\\) [0-9]{8}F.cq4@0x[0-9a-f]+\\.\\.[0-9]{8}F.cq4@0x[0-9a-f]+: "
                        + "the restarted writer refused them \\(no unsigned receipts to recover; refused 1 receipt excerpt\\(s\\) .*: "
                        + "its bytes are not a canonical receipt that hashes to its recorded hash\\)")
                .contains("TRUNCATED: receipt #4: cut short, as a crash mid-write leaves an excerpt, and not accepted as a receipt: "
                        + "the writer restarted after it")
                .endsWith("6/6 receipts valid, 3/3 checkpoints valid, 6 receipts checkpointed, 1 policy versions, 2 problems\n");
    }

    private static int runCrashingWriter(Path dir, int count) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(CHRONICLE_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), dir.toString(),
                String.valueOf(count)));
        Process p = new ProcessBuilder(command.stream().filter(s -> !s.isBlank()).toList()).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
