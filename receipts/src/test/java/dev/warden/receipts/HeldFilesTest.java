package dev.warden.receipts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A writer tells when the files it writes are no longer at their paths: deleted, moved away or replaced. */
class HeldFilesTest {
    @TempDir
    Path tmp;

    @Test
    void anUntouchedLogIsInPlace() throws Exception {
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(tmp.resolve("receipts")))) {
            log.append(Drafts.sql(0));
            assertThat(log.misplaced()).isNull();
        }
    }

    @Test
    void theDirectoryDeleted() throws Exception {
        Path dir = tmp.resolve("receipts");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            log.append(Drafts.sql(0));
            deleteAll(dir);
            assertThat(log.misplaced()).contains(dir.toString()).contains("is gone");
        }
    }

    @Test
    void theCycleFileDeletedAlone() throws Exception {
        Path dir = tmp.resolve("receipts");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            log.append(Drafts.sql(0));
            try (Stream<Path> files = Files.list(dir.resolve("queue"))) {
                for (Path cycle : files.filter(f -> f.toString().endsWith(".cq4")).toList()) {
                    Files.delete(cycle);
                }
            }
            assertThat(log.misplaced()).startsWith("the cycle file ").contains("is gone");
        }
    }

    @Test
    void theDirectoryMovedAwayAndBack() throws Exception {
        Path dir = tmp.resolve("receipts");
        Path away = tmp.resolve("elsewhere");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            log.append(Drafts.sql(0));
            Files.move(dir, away, StandardCopyOption.ATOMIC_MOVE);
            assertThat(log.misplaced()).contains("is gone");
            Files.move(away, dir, StandardCopyOption.ATOMIC_MOVE);
            assertThat(log.misplaced()).as("the same files again").isNull();
        }
    }

    @Test
    void theDirectoryReplacedByACopyOfItself() throws Exception {
        // An older copy put back under the running writer: the same names, other files.
        Path dir = tmp.resolve("receipts");
        Path copy = tmp.resolve("copy");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            log.append(Drafts.sql(0));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(dir.relativize(file).toString()));
                }
            }
            deleteAll(dir);
            Files.move(copy, dir);
            assertThat(log.misplaced()).contains("is another file than the one written to (replaced)");
        }
    }

    @Test
    void theLockFileDeletedSoThatASecondWriterCouldOpenTheDirectory() throws Exception {
        // Two writers would interleave two chains: the first one is told its lock is no longer the directory's.
        Path dir = tmp.resolve("receipts");
        try (ReceiptLog first = ReceiptLog.open(ReceiptLogOptions.defaults(dir))) {
            first.append(Drafts.sql(0));
            Files.delete(dir.resolve(WriterLock.FILE));
            try (WriterLock second = WriterLock.acquire(dir)) {
                assertThat(first.misplaced()).startsWith("the writer's lock ")
                        .contains("is another file than the one written to (replaced)");
            }
        }
    }

    @Test
    void aLinkOnTheWayFlippedToAnotherReleaseLeavesTheFilesWhereTheyAre() throws Exception {
        Path r1 = Files.createDirectories(tmp.resolve("releases/r1"));
        Files.createDirectories(tmp.resolve("releases/r2"));
        Path current = Files.createSymbolicLink(tmp.resolve("current"), Path.of("releases/r1"));
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(current.resolve("receipts")))) {
            log.append(Drafts.sql(0));
            Path next = Files.createSymbolicLink(tmp.resolve("next"), Path.of("releases/r2"));
            Files.move(next, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            assertThat(log.misplaced()).as("still in %s", r1).isNull();
        }
    }

    private static void deleteAll(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
