package dev.warden.verifier;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.LogPruner;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Logs as deployments leave them: keys rotated, several chains in one directory. */
class DeploymentsVerificationTest {
    @TempDir
    Path tmp;

    @Test
    void aRotatedLogVerifiesWholeWithItsFirstKeyAndNotWithTheLaterKeyAlone() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path first = key("first");
        Path second = key("second");
        write(options(dir).withPrivateKey(first), 0, 5);
        write(options(dir).withPrivateKey(second).withRotationFrom(first), 5, 5);

        Cli withFirst = Cli.run("verify", dir, "--public-key", tmp.resolve("first.pub.pem"));
        assertThat(withFirst.exitCode()).as(withFirst.out()).isZero();
        assertThat(withFirst.out()).contains("11/11 receipts valid");

        Cli withSecond = Cli.run("verify", dir, "--public-key", tmp.resolve("second.pub.pem"));
        assertThat(withSecond.exitCode()).isEqualTo(1);
        assertThat(withSecond.out()).contains("not signed by the given public key");
    }

    @Test
    void aDirectoryOfChainsIsVerifiedChainByChain() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path key = key("shared");
        write(options(dir.resolve("host-a")).withPrivateKey(key), 0, 3);
        write(options(dir.resolve("host-b")).withPrivateKey(key), 0, 4);

        Cli all = Cli.run("verify", dir, "--public-key", tmp.resolve("shared.pub.pem"));
        assertThat(all.exitCode()).as(all.out()).isZero();
        assertThat(all.out()).contains("chain host-a: 3/3 receipts valid", "chain host-b: 4/4 receipts valid", "2 chains, 2 valid");

        write(options(dir.resolve("host-c")).withPrivateKey(key("other")), 0, 1);
        Cli oneForeign = Cli.run("verify", dir, "--public-key", tmp.resolve("shared.pub.pem"), "--json");
        assertThat(oneForeign.exitCode()).isEqualTo(1);
        assertThat(oneForeign.out()).contains("\"summary\":\"3 chains, 2 valid\"");
    }

    @Test
    void aPrunedLogVerifiesFromItsFirstKeptReceiptAndAnUnrecordedCutOfTheHeadDoesNot() throws Exception {
        Path dir = tmp.resolve("receipts");
        SetClock clock = new SetClock(SampleLog.T0);
        ReceiptLogOptions options = options(dir).withPrivateKey(key("k")).withRollClock(clock);
        try (ReceiptLog log = ReceiptLog.open(options)) {
            log.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
            for (int i = 0; i < 12; i++) {
                log.append(SampleLog.draft(i));
                if (i % 4 == 3) {
                    log.checkpoint();
                    clock.advance(Duration.ofDays(1));
                }
            }
        }
        LogPruner.Result pruned = LogPruner.prune(options, 2, tmp.resolve("archive"));
        assertThat(pruned.files()).hasSize(2);
        assertThat(pruned.firstKept()).isEqualTo(8);
        assertThat(tmp.resolve("archive").resolve(pruned.files().get(0))).exists();

        Cli verified = Cli.run("verify", dir, "--public-key", tmp.resolve("k.pub.pem"));
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        assertThat(verified.out()).contains("5/5 receipts valid");

        try (var files = java.nio.file.Files.list(dir.resolve("queue"))) {
            java.nio.file.Files.delete(files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().findFirst().orElseThrow());
        }
        Cli cut = Cli.run("verify", dir, "--public-key", tmp.resolve("k.pub.pem"));
        assertThat(cut.exitCode()).isEqualTo(1);
        assertThat(cut.out()).contains("MISSING");
    }

    private static ReceiptLogOptions options(Path dir) {
        return ReceiptLogOptions.defaults(dir).withOrigin("warden/test").withCheckpoints(Integer.MAX_VALUE, Duration.ofDays(1));
    }

    private static void write(ReceiptLogOptions options, int from, int count) throws Exception {
        try (ReceiptLog log = ReceiptLog.open(options)) {
            log.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
            for (int i = from; i < from + count; i++) {
                log.append(SampleLog.draft(i));
            }
        }
    }

    private Path key(String name) throws Exception {
        Path pem = tmp.resolve(name + ".pem");
        Ed25519Keys.generate(pem, tmp.resolve(name + ".pub.pem"));
        return pem;
    }
}
