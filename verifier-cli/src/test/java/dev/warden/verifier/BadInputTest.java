package dev.warden.verifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Input that is not a receipts directory or not a key: a clear message and exit 2, never a stack trace. */
class BadInputTest {
    @TempDir
    Path tmp;

    @Test
    void anEmptyDirectory() throws Exception {
        Path key = SampleLog.write(tmp.resolve("real")).publicKey();

        Cli cli = Cli.run("verify", Files.createDirectory(tmp.resolve("empty")), "--public-key", key);

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: ").contains("holds no receipts").doesNotContain("Exception");
    }

    @Test
    void aDirectoryThatIsNotAQueue() throws Exception {
        Path key = SampleLog.write(tmp.resolve("real")).publicKey();
        Path notAQueue = Files.createDirectories(tmp.resolve("photos").resolve("queue"));
        Files.writeString(notAQueue.resolve("holiday.jpg"), "not a queue");

        Cli cli = Cli.run("verify", notAQueue.getParent(), "--public-key", key);

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("holds no receipts");
    }

    @Test
    void aReceiptsDirectoryWhoseQueueWasEmptiedOrDeletedIsMissingReceiptsNotAUsageError() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("real"));
        Path queue = log.directory().resolve("queue");
        try (var files = Files.list(queue)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Cli emptied = Cli.run("verify", log.directory(), "--public-key", log.publicKey());
        Files.delete(queue);
        Cli deleted = Cli.run("verify", log.directory(), "--public-key", log.publicKey(), "--json");

        assertThat(emptied.exitCode()).as(emptied.err()).isEqualTo(1);
        assertThat(emptied.out()).startsWith("MISSING: receipts: ").contains("public-key.pem", "no Chronicle queue in ",
                "its queue was deleted or emptied");
        assertThat(deleted.exitCode()).as(deleted.err()).isEqualTo(1);
        assertThat(deleted.out()).contains("\"kind\":\"MISSING\"", "no queue directory ");
    }

    @Test
    void aDirectoryThatDoesNotExist() throws Exception {
        Path key = SampleLog.write(tmp.resolve("real")).publicKey();

        Cli cli = Cli.run("verify", tmp.resolve("nowhere"), "--public-key", key);

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("is not a directory");
    }

    @Test
    void aPrivateKeyWhereThePublicKeyBelongs() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("real"));

        Cli cli = Cli.run("verify", log.directory(), "--public-key", log.directory().resolve("signing-key.pem"));

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("must be a PEM 'PUBLIC KEY' block, found -----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aKeyFileThatIsNotPemAtAll() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("real"));
        Path garbage = Files.writeString(tmp.resolve("key.txt"), "ssh-ed25519 AAAAC3Nza... alice@laptop");

        Cli cli = Cli.run("verify", log.directory(), "--public-key", garbage);

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("must be a PEM 'PUBLIC KEY' block, found no PEM block");
    }

    @Test
    void aMissingKeyFile() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("real"));

        Cli cli = Cli.run("verify", log.directory(), "--public-key", tmp.resolve("absent.pem"));

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("no such file").contains("absent.pem");
    }

    @Test
    void unknownOptionsAndMissingArgumentsAreUsageErrors() {
        assertThat(Cli.run("verify", "--frobnicate").exitCode()).isEqualTo(2);
        assertThat(Cli.run("verify", tmp).exitCode()).isEqualTo(2);
        assertThat(Cli.run("export", tmp, "--format", "xml").exitCode()).isEqualTo(2);
    }

    @Test
    void aQueueFileCutInsideItsLastReceiptIsReportedTruncatedNotAccepted() throws Exception {
        SampleLog log = SampleLog.write(tmp.resolve("real"));
        for (Path file : Tamper.queueFiles(log.directory())) {
            byte[] content = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(content, indexOfLast(content, "8000-000000000009") + 20));
        }

        Cli cli = Cli.run("verify", log.directory(), "--public-key", log.publicKey());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).containsPattern("INVALID: cycle file [0-9]{8}F.cq4: a document header claims [0-9]+ bytes, but only "
                        + "[0-9]+ remain in the file \\(at [0-9]{8}F.cq4@0x[0-9a-f]+\\)")
                .contains("UNCHECKPOINTED: receipt 8: no valid signed checkpoint covers 1 receipt(s)")
                .contains("8/9 receipts valid, 2/2 checkpoints valid");
        assertThat(cli.err()).isEmpty();
    }

    private static int indexOfLast(byte[] content, String needle) {
        return new String(content, java.nio.charset.StandardCharsets.ISO_8859_1).lastIndexOf(needle);
    }
}
