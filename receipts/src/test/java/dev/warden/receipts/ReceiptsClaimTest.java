package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A claim finds every reason to refuse a writer before the queue is mapped, and hands its lock to the log it opens. */
class ReceiptsClaimTest {
    @TempDir
    Path tmp;

    @Test
    void aClaimHoldsTheDirectoryBeforeItsQueueIsOpenedAndTheLogItOpensContinuesTheChain() throws Exception {
        Path dir = tmp.resolve("receipts");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            log.append(Drafts.sql(0));
        }
        ReceiptsClaim claim = ReceiptsClaim.take(ReceiptLogOptions.defaults(dir));
        assertThatThrownBy(() -> ReceiptsClaim.take(ReceiptLogOptions.defaults(dir))).isInstanceOf(ReceiptsLockedException.class);
        try (ReceiptLog log = claim.open(null)) {
            assertThat(log.append(Drafts.sql(1)).sequence()).isEqualTo(1);
            assertThatThrownBy(() -> ReceiptsClaim.take(ReceiptLogOptions.defaults(dir))).isInstanceOf(ReceiptsLockedException.class);
        }
        assertThat(ReceiptReader.receipts(dir)).extracting(Receipt::sequence).containsExactly(0L, 1L);
    }

    @Test
    void aClaimClosedUnopenedLetsGoOfTheDirectoryAndWritesNoQueue() throws Exception {
        Path dir = tmp.resolve("receipts");
        ReceiptsClaim claim = ReceiptsClaim.take(ReceiptLogOptions.defaults(dir));
        assertThat(claim.publicKeyFile()).exists();
        claim.close();
        assertThat(queueFiles(dir)).isEmpty();
        assertThatThrownBy(() -> claim.open(null)).isInstanceOf(IllegalStateException.class);
        try (ReceiptLog log = ReceiptsClaim.take(ReceiptLogOptions.defaults(dir)).open(null)) {
            assertThat(log.append(Drafts.sql(0)).sequence()).isZero();
        }
    }

    @Test
    void anotherKeyIsRefusedByTheClaimBeforeAnyQueueIsMapped() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path first = key("first");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir).withPrivateKey(first))) {
            log.append(Drafts.sql(0));
        }
        assertThatThrownBy(() -> ReceiptsClaim.take(ReceiptLogOptions.defaults(dir).withPrivateKey(key("second"))))
                .isInstanceOf(KeyMismatchException.class);
        // The refused claim let go of the lock.
        ReceiptsClaim.take(ReceiptLogOptions.defaults(dir).withPrivateKey(first)).close();
    }

    @Test
    void aClaimOpensOnce() throws Exception {
        ReceiptsClaim claim = ReceiptsClaim.take(ReceiptLogOptions.defaults(tmp.resolve("receipts")));
        try (ReceiptLog log = claim.open(null)) {
            assertThatThrownBy(() -> claim.open(null)).isInstanceOf(IllegalStateException.class);
            claim.close(); // the log holds the lock now: closing the claim leaves it
            assertThatThrownBy(() -> ReceiptsClaim.take(ReceiptLogOptions.defaults(tmp.resolve("receipts"))))
                    .isInstanceOf(ReceiptsLockedException.class);
            assertThat(log.append(Drafts.sql(0)).sequence()).isZero();
        }
    }

    private static java.util.List<Path> queueFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().contains(".cq4")).toList();
        }
    }

    private Path key(String name) throws Exception {
        Path pem = tmp.resolve(name + ".pem");
        Ed25519Keys.generate(pem, tmp.resolve(name + ".pub.pem"));
        return pem;
    }
}
