package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One writer per directory, and a log that keeps its key unless the rotation is explicit. */
class OneWriterAndKeysTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondWriterOfTheDirectoryIsRefusedNamingTheFirstUntilItCloses() throws Exception {
        Path dir = tmp.resolve("receipts");
        try (ReceiptLog first = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            first.append(Drafts.sql(0));
            assertThatThrownBy(() -> ReceiptLog.open(ReceiptLogOptions.defaults(dir)))
                    .isInstanceOf(ReceiptsLockedException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid() + " since ");
        }
        try (ReceiptLog again = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            assertThat(again.append(Drafts.sql(1)).sequence()).isEqualTo(1);
        }
    }

    @Test
    void anotherKeyIsRefusedWithoutTouchingTheDirectoryAndTheFirstPublicKeyStays() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path first = key("first");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withPrivateKey(first))) {
            log.append(Drafts.sql(0));
        }
        String publicKey = Files.readString(dir.resolve(ReceiptLog.PUBLIC_KEY));
        List<Receipt> before = ReceiptReader.receipts(dir);

        assertThatThrownBy(() -> ReceiptLog.open(ReceiptLogOptions.defaults(dir).withPrivateKey(key("second"))))
                .isInstanceOf(KeyMismatchException.class).hasMessageContaining("signed by another key");
        // No key configured and none kept next to the log: a generated key would not match either, and is not written.
        assertThatThrownBy(() -> ReceiptLog.open(ReceiptLogOptions.defaults(dir)))
                .isInstanceOf(KeyMismatchException.class);
        assertThat(dir.resolve(ReceiptLog.GENERATED_PRIVATE_KEY)).doesNotExist();
        assertThat(Files.readString(dir.resolve(ReceiptLog.PUBLIC_KEY))).isEqualTo(publicKey);
        assertThat(ReceiptReader.receipts(dir)).isEqualTo(before);
    }

    @Test
    void anExplicitRotationHandsTheLogToTheNewKeyAndTheOldKeyCannotContinueIt() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path first = key("first");
        Path second = key("second");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withPrivateKey(first))) {
            log.append(Drafts.sql(0));
        }
        ReceiptLogOptions rotating = ReceiptLogOptions.defaults(dir).withPrivateKey(second).withRotationFrom(first);
        try (ReceiptLog log = ReceiptLog.open(rotating)) {
            assertThat(log.append(Drafts.sql(2)).sequence()).isEqualTo(2);
        }
        try (ReceiptLog log = ReceiptLog.open(rotating)) { // left configured: nothing more to rotate
            assertThat(log.append(Drafts.sql(3)).sequence()).isEqualTo(3);
        }
        List<Receipt> receipts = ReceiptReader.receipts(dir);
        Receipt rotation = receipts.get(1);
        assertThat(KeyRotation.newKey(rotation)).contains(Ed25519Keys.readPrivate(second).publicKey());
        assertThat(KeyRotation.previousKey(rotation)).contains(Ed25519Keys.readPrivate(first).publicKey());
        assertThat(receipts).filteredOn(KeyRotation::is).hasSize(1);

        assertThatThrownBy(() -> ReceiptLog.open(ReceiptLogOptions.defaults(dir).withPrivateKey(first)))
                .isInstanceOf(KeyMismatchException.class).hasMessageContaining("rotated out");
    }

    private Path key(String name) throws Exception {
        Path pem = tmp.resolve(name + ".pem");
        Ed25519Keys.generate(pem, tmp.resolve(name + ".pub.pem"));
        return pem;
    }
}
