package dev.warden.verifier;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.LogPruner;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Logs as deployments leave them: keys rotated, several chains in one directory. */
class DeploymentsVerificationTest {
    @TempDir
    Path tmp;

    @Test
    void aRotatedLogVerifiesWholeWithItsFirstKeyAndTheRotationAcceptedAndNotWithTheLaterKeyAlone() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path first = key("first");
        Path second = key("second");
        write(options(dir).withPrivateKey(first), 0, 5);
        write(options(dir).withPrivateKey(second).withRotationFrom(first), 5, 5);
        String secondFingerprint = Verifier.fingerprint(Ed25519Keys.readPublic(tmp.resolve("second.pub.pem")));

        Cli withFirst = Cli.run("verify", dir, "--public-key", tmp.resolve("first.pub.pem"), "--allow-rotation-to",
                tmp.resolve("second.pub.pem"));
        assertThat(withFirst.exitCode()).as(withFirst.out()).isZero();
        assertThat(withFirst.out()).contains("11/11 receipts valid")
                .contains("NOTE: key rotation receipt 5 ").contains("to key " + secondFingerprint + " (accepted: --allow-rotation-to)");

        Cli byFingerprint = Cli.run("verify", dir, "--public-key", tmp.resolve("first.pub.pem"), "--allow-rotation-to",
                secondFingerprint);
        assertThat(byFingerprint.exitCode()).as(byFingerprint.out()).isZero();
    }

    @Test
    void aRotationToAKeyTheAuditorDidNotGiveIsInvalidAndNamesTheKey() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path first = key("first");
        Path attackers = key("attackers");
        write(options(dir).withPrivateKey(first), 0, 5);
        write(options(dir).withPrivateKey(attackers).withRotationFrom(first), 5, 5);

        Cli cli = Cli.run("verify", dir, "--public-key", tmp.resolve("first.pub.pem"), "--verbose");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: key rotation receipt 5 ")
                .contains("to key " + Verifier.fingerprint(Ed25519Keys.readPublic(tmp.resolve("attackers.pub.pem")))
                        + ", which was not given")
                // SampleLog's receipts are timed in November, the rotation now: receipts after it going back in time are noted
                .contains("NOTE: receipt 6 ").contains("before the key rotation at");
    }

    @Test
    void aQueuePlantedBesideChainsIsInvalidNotTheOnlyChainChecked() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path key = key("shared");
        write(options(dir.resolve("a")).withPrivateKey(key), 0, 3);
        write(options(dir.resolve("b")).withPrivateKey(key), 0, 4);
        copy(dir.resolve("b").resolve("queue"), dir.resolve("queue"));
        copy(dir.resolve("b").resolve("policies"), dir.resolve("policies"));

        Cli cli = Cli.run("verify", dir, "--public-key", tmp.resolve("shared.pub.pem"));

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("INVALID: directory").contains("holds a receipts queue of its own and chains in"
                + " subdirectories (a, b)");
    }

    @Test
    void anExportOfEveryChainsCheckpointsIsReachedByAnHonestDirectoryOfChainsAndNamesADeletedOrCutOne() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path key = key("shared");
        write(options(dir.resolve("a")).withPrivateKey(key), 0, 3);
        write(options(dir.resolve("b")).withPrivateKey(key), 0, 4);
        // What checkpoint-export appends, both writers into one file: the same origin, two chains.
        StringBuilder export = new StringBuilder();
        for (String chain : List.of("a", "b")) {
            for (LogEntry e : ReceiptReader.readAll(dir.resolve(chain))) {
                if (e instanceof LogEntry.StoredCheckpoint c) {
                    export.append(c.note()).append('\n');
                }
            }
        }
        Path exported = java.nio.file.Files.writeString(tmp.resolve("checkpoints.txt"), export);
        Path pub = tmp.resolve("shared.pub.pem");

        Cli honest = Cli.run("verify", dir, "--public-key", pub, "--expect-at-least", exported);
        Path away = java.nio.file.Files.move(dir.resolve("a"), tmp.resolve("a-moved-away"));
        Cli oneGone = Cli.run("verify", dir, "--public-key", pub, "--expect-at-least", exported);

        assertThat(honest.exitCode()).as(honest.out()).isZero();
        assertThat(honest.out()).contains("2 chains, 2 valid, ").contains(" checkpoints known from outside reached");
        assertThat(oneGone.exitCode()).isEqualTo(1);
        assertThat(oneGone.out()).contains("1 chains, 1 valid").contains("MISSING: checkpoint 3 (")
                .contains("no chain here reaches it");
        assertThat(away).exists();
    }

    @Test
    void aChainReplacedByACopyOfAnotherIsInvalid() throws Exception {
        // Chain a (with its refusals) deleted and chain b copied in its place: still two chains, each valid on its own.
        Path dir = tmp.resolve("receipts");
        Path key = key("shared");
        write(options(dir.resolve("a")).withPrivateKey(key), 0, 3);
        write(options(dir.resolve("b")).withPrivateKey(key), 0, 4);
        try (var files = java.nio.file.Files.walk(dir.resolve("a"))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
        copy(dir.resolve("b"), dir.resolve("a"));

        Cli cli = Cli.run("verify", dir, "--public-key", tmp.resolve("shared.pub.pem"));
        Cli json = Cli.run("verify", dir, "--public-key", tmp.resolve("shared.pub.pem"), "--json");

        assertThat(cli.exitCode()).as(cli.out()).isEqualTo(1);
        assertThat(cli.out()).contains("chain b: INVALID: chain b: holds the same chain as chain a (chain id ",
                "so one is a copy of the other", "2 chains, 1 valid");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.out()).contains("holds the same chain as chain a").contains("\"summary\":\"2 chains, 1 valid\"");
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = java.nio.file.Files.walk(from)) {
            for (Path p : files.toList()) {
                java.nio.file.Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void aRotatedLogDoesNotVerifyWithTheLaterKeyAlone() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path first = key("first");
        Path second = key("second");
        write(options(dir).withPrivateKey(first), 0, 5);
        write(options(dir).withPrivateKey(second).withRotationFrom(first), 5, 5);

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
