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
        assertThat(afterCrash.out()).isEqualTo("UNCHECKPOINTED: receipts 0..4: no valid signed checkpoint covers 5 receipt(s)\n"
                + "0/5 receipts valid, 0/0 checkpoints valid, 0 receipts checkpointed, 1 policy versions, 1 problem\n");

        Receipt firstAfterRestart;
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withOrigin("warden/test"))) {
            firstAfterRestart = log.append(SampleLog.draft(5));
        }
        List<Receipt> receipts = ReceiptReader.receipts(dir);
        assertThat(receipts).hasSize(6);
        assertThat(firstAfterRestart.sequence()).isEqualTo(5);
        assertThat(firstAfterRestart.previousHash()).isEqualTo(receipts.get(4).hash());
        assertThat(firstAfterRestart.chain()).isEqualTo(receipts.get(0).chain());

        Cli afterRestart = Cli.run("verify", dir, "--public-key", dir.resolve("public-key.pem"));
        assertThat(afterRestart.exitCode()).isZero();
        assertThat(afterRestart.out()).startsWith("6/6 receipts valid, 1/1 checkpoints valid, 6 receipts checkpointed");
    }

    @Test
    void aReceiptDamagedByPowerLossIsSkippedOnRestartAndReportedTruncated() throws Exception {
        Path dir = tmp.resolve("receipts");
        SampleLog log = SampleLog.write(dir, 4);
        // A complete excerpt header over a payload the disk never got: what a partial page flush leaves.
        Tamper.rewrite(dir, entries -> {
            entries.add(new dev.warden.receipts.LogEntry.StoredReceipt(0, new byte[32], new byte[40]));
            return entries;
        });
        Receipt next;
        try (ReceiptLog reopened = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withOrigin("warden/test"))) {
            next = reopened.append(SampleLog.draft(4));
        }

        assertThat(next.sequence()).isEqualTo(4);
        assertThat(next.previousHash()).isEqualTo(log.receipt(3).hash());
        Cli cli = Cli.run("verify", dir, "--public-key", log.publicKey());
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).containsPattern("TRUNCATED: receipt #4 \\(excerpt 0x[0-9a-f]+\\): cut short, as a crash mid-write "
                        + "leaves an excerpt, and not accepted as a receipt: the writer restarted after it")
                .endsWith("5/5 receipts valid, 2/2 checkpoints valid, 5 receipts checkpointed, 1 policy versions, 1 problem\n");
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
