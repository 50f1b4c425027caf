package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.KeyRotation;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.SigningKey;
import dev.warden.verifier.Tamper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S11: receipts written by a real host under the agent; every kind of tampering is reported by the
 * auditors' verifier jar, naming the receipt and the problem, with exit code 1.
 */
@SameOnEveryJdk
class TamperEvidenceEndToEndTest {

    @TempDir
    static Path run;

    @TempDir
    Path workspace;

    private static Receipts original;
    private static List<Receipt> written;
    private Receipts copy;

    @BeforeAll
    static void runHost() throws Exception {
        String url = "jdbc:h2:file:" + run.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        original = Receipts.in(run);
        // Only jdbc: the tampering below addresses receipts by position, and with the file surface on
        // H2 opening its database files would add receipts of its own (files: FileEndToEndTest).
        HostJvm.Result host = HostJvm.withAgent(original.agentArguments()).withRules("jdbc").with("surfaces=jdbc").run(JdbcHost.class, List.of(
                url, "sa", "",
                "prepared:SELECT * FROM orders WHERE id = ?|1",
                "query:SELECT * FROM customers WHERE country = 'US'",
                "update:DELETE FROM orders",
                "query:SELECT * FROM orders WHERE id = 2 OR 1=1",
                "update:INSERT INTO orders VALUES (100, 1, 1)",
                "prepared:SELECT * FROM orders WHERE id = ?|3"));
        assertThat(host.lines()).as(host.toString()).contains("DONE");
        written = original.all();
        assertThat(written).hasSize(6);
    }

    @BeforeEach
    void copyReceipts() throws Exception {
        copy = original.copyTo(workspace.resolve("receipts"));
    }

    @Test
    void anUntouchedRunVerifies() throws Exception {
        Receipts.Verification verification = copy.verify();

        assertThat(verification.exitCode()).as(verification.output()).isZero();
        assertThat(verification.output()).contains("6/6 receipts valid");
    }

    @Test
    void oneByteChangedInsideAReceipt() throws Exception {
        // Still a well-formed receipt, so only the hash can tell: "orders" becomes "ordert".
        Tamper.editBytes(copy.directory(), "no rule permits jdbc DELETE on orders", "no rule permits jdbc DELETE on ordert");

        assertRejected(copy.verify(), "INVALID: receipt 2 (" + written.get(2).id() + ")");
    }

    @Test
    void aReceiptDeleted() throws Exception {
        Tamper.rewrite(copy.directory(), entries -> {
            entries.remove(receipt(entries, 3));
            return entries;
        });

        assertRejected(copy.verify(), "MISSING: ", "receipts 3..3 are missing");
    }

    @Test
    void twoReceiptsSwapped() throws Exception {
        Tamper.rewrite(copy.directory(), entries -> {
            Collections.swap(entries, entries.indexOf(receipt(entries, 1)), entries.indexOf(receipt(entries, 2)));
            return entries;
        });

        assertRejected(copy.verify(), "INVALID: receipt 1 (" + written.get(1).id() + "): out of order");
    }

    @Test
    void aForgedReceiptInserted() throws Exception {
        Receipt last = written.get(5);
        ReceiptDraft lie = new ReceiptDraft(last.id().replace('-', '0').substring(0, 8) + last.id().substring(8),
                last.time(), "agent", null, null, "jdbc", "DELETE", "orders", last.actionDigest(), last.summary(),
                "PERMIT", true, List.of("forged"), "nobody said so", last.obligations(), last.policyVersion());
        Receipt forged = Receipt.seal(last.chain(), 6, last.hash(), lie);
        Tamper.rewrite(copy.directory(), entries -> {
            entries.add(new LogEntry.StoredReceipt(Tamper.NOWHERE, forged.leafHash(), new byte[16], forged.canonicalBytes()));
            return entries;
        });

        assertRejected(copy.verify(), "UNCHECKPOINTED: receipt 6");
    }

    @Test
    void theTailCut() throws Exception {
        Tamper.rewrite(copy.directory(), entries -> {
            entries.subList(entries.indexOf(receipt(entries, 4)), entries.size()).removeIf(e -> e instanceof LogEntry.StoredReceipt);
            return entries;
        });

        assertRejected(copy.verify(), "MISSING: checkpoint");
    }

    @Test
    void aCheckpointSignedByAnotherKey() throws Exception {
        SigningKey other = Ed25519Keys.generate(workspace.resolve("other.pem"), workspace.resolve("other.pub.pem"));
        Tamper.rewrite(copy.directory(), entries -> {
            LogEntry.StoredCheckpoint checkpoint = (LogEntry.StoredCheckpoint) entries.stream()
                    .filter(e -> e instanceof LogEntry.StoredCheckpoint).reduce((a, b) -> b).orElseThrow();
            SignedNote original = SignedNote.parse(checkpoint.note());
            String origin = original.text().lines().findFirst().orElseThrow();
            SignedNote forged = SignedNote.sign(original.text(), origin, other);
            entries.set(entries.indexOf(checkpoint), new LogEntry.StoredCheckpoint(Tamper.NOWHERE, forged.format(), checkpoint.frontier()));
            return entries;
        });

        assertRejected(copy.verify(), "INVALID: checkpoint", "not signed by the given public key");
    }

    /**
     * After a rotation the auditor accepted, the export's checkpoints of the new key's period are the outside reference:
     * the tail the new key signed, cut back to the checkpoint that hands over (signed by both keys), is a cut, not a log.
     */
    @Test
    void theTailAfterARotationCutBackToTheHandOver() throws Exception {
        Path newKey = workspace.resolve("new.pem");
        Path newPublic = workspace.resolve("new.pub.pem");
        Ed25519Keys.generate(newKey, newPublic);
        Path export = workspace.resolve("exported-checkpoints.txt");
        // The export as it stands when it was configured from the start: the first key's checkpoints.
        StringBuilder before = new StringBuilder();
        for (LogEntry e : dev.warden.receipts.ReceiptReader.readAll(copy.directory())) {
            if (e instanceof LogEntry.StoredCheckpoint c) {
                before.append(SignedNote.parse(c.note()).format()).append('\n');
            }
        }
        java.nio.file.Files.writeString(export, before);
        String oldKey = original.agentArguments()[1].substring("key=".length());
        HostJvm.Result rotated = HostJvm.withAgent("receipts=" + copy.directory(), "key=" + newKey, "rotate-key=" + oldKey,
                        "checkpoint-export=" + export).withRules("jdbc").with("surfaces=jdbc")
                .run(JdbcHost.class, List.of("jdbc:h2:file:" + run.resolve("shop"), "sa", "",
                        "update:DELETE FROM orders", "prepared:SELECT * FROM orders WHERE id = ?|1"));
        assertThat(rotated.exitCode()).as(rotated.stderr()).isZero();
        Receipts.Verification whole = copy.verify("--allow-rotation-to", newPublic.toString(), "--expect-at-least", export.toString());
        assertThat(whole.exitCode()).as(whole.output()).isZero();
        Receipts beforeRotation = copy.copyTo(workspace.resolve("before-rotation"));
        long[] handOver = new long[1];
        long[] cut = new long[1];
        Tamper.rewrite(copy.directory(), entries -> {
            long rotation = entries.stream().filter(e -> e instanceof LogEntry.StoredReceipt r && KeyRotation.is(parse(r)))
                    .mapToLong(e -> parse((LogEntry.StoredReceipt) e).sequence()).findFirst().orElseThrow();
            int at = 0;
            for (; handOver[0] <= rotation; at++) {
                if (entries.get(at) instanceof LogEntry.StoredCheckpoint c) {
                    handOver[0] = Checkpoint.parse(SignedNote.parse(c.note()).text()).size();
                }
            }
            List<LogEntry> kept = new java.util.ArrayList<>(entries.subList(0, at));
            kept.removeIf(e -> e instanceof LogEntry.StoredReceipt r && parse(r).sequence() >= handOver[0]);
            cut[0] = entries.stream().filter(e -> e instanceof LogEntry.StoredReceipt).count()
                    - kept.stream().filter(e -> e instanceof LogEntry.StoredReceipt).count();
            return kept;
        });
        assertThat(cut[0]).as("receipts the new key signed past the hand-over, cut").isPositive();

        assertRejected(copy.verify("--allow-rotation-to", newPublic.toString(), "--expect-at-least", export.toString()),
                "MISSING: log tail");
        // The same cut chain as one of the chains of a directory (receipts-per-process): every checkpoint of the export
        // must be reached by a chain, the new key's too (a thirteenth review, 2026-12-08: they were passed over, exit 0).
        Path chains = java.nio.file.Files.createDirectories(workspace.resolve("chains"));
        copy.copyTo(chains.resolve("a"));
        assertRejected(copy.at(chains).verify("--allow-rotation-to", newPublic.toString(), "--expect-at-least", export.toString()),
                "MISSING: checkpoint", "no chain here reaches it");

        // Cut back before the rotation receipt itself: the log never reaches the new key, whose checkpoints the export holds.
        Tamper.rewrite(beforeRotation.directory(), entries -> new java.util.ArrayList<>(entries.subList(0, entries.indexOf(
                entries.stream().filter(e -> e instanceof LogEntry.StoredReceipt r && KeyRotation.is(parse(r))).findFirst().orElseThrow()))));
        assertRejected(beforeRotation.verify("--allow-rotation-to", newPublic.toString(), "--expect-at-least", export.toString()),
                "MISSING: ", "signed by a key this log was never handed to");
    }

    @Test
    void theWrongPublicKey() throws Exception {
        Ed25519Keys.generate(workspace.resolve("stranger.pem"), workspace.resolve("stranger.pub.pem"));

        assertRejected(copy.withPublicKey(workspace.resolve("stranger.pub.pem")).verify(),
                "not signed by the given public key");
    }

    @Test
    void theQueueEmptied() throws Exception {
        // Every cycle file and Chronicle's metadata deleted, the key and the lock left: a wiped log, not a wrong path.
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(copy.directory().resolve("queue"))) {
            for (Path file : files.toList()) {
                java.nio.file.Files.delete(file);
            }
        }

        Receipts.Verification verification = copy.verify();

        assertThat(verification.exitCode()).as(verification.output()).isEqualTo(1);
        assertThat(verification.output()).contains("MISSING: receipts: ", "its queue was deleted or emptied");
    }

    /**
     * The writer's side: the receipts directory replaced under a running host by a copy of itself (what a rollback to
     * an older copy does). Chronicle kept appending to the cycle file it had mapped, which had no name any more: the
     * old build ran both inserts after the swap (3 rows), answered the refused delete citing a receipt, and no receipt
     * of any of them was anywhere; the directory held the copy, a valid log of the first insert only.
     */
    @Test
    void theReceiptsDirectoryReplacedByACopyUnderARunningHost() throws Exception {
        String shop = "jdbc:h2:file:" + workspace.resolve("live-shop");
        Fixtures.createShop(shop, "sa", "");
        Receipts live = Receipts.in(java.nio.file.Files.createDirectories(workspace.resolve("live")));
        Path errors = workspace.resolve("host.err");
        HostJvm.Running host = HostJvm.withAgent(live.agentArguments()).withRules("jdbc").with("surfaces=jdbc").errorsTo(errors)
                .start(JdbcHost.class, List.of(shop, "sa", "",
                        /* 0 */ "update:INSERT INTO orders VALUES (1001, 1, 1)",
                        /* 1 */ "hold:-",
                        /* 2 */ "update:INSERT INTO orders VALUES (1002, 1, 1)",
                        /* 3 */ "update:INSERT INTO orders VALUES (1003, 1, 1)",
                        /* 4 */ "update:DELETE FROM orders"));
        host.awaitLine("OK step=1 holding");
        assertThat(live.all()).anyMatch(r -> r.operation().equals("INSERT") && r.outcome().equals("PERMIT"));
        Receipts copy = live.copyTo(workspace.resolve("copy"));
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(live.directory())) {
            for (Path file : files.sorted(Collections.reverseOrder()).toList()) {
                java.nio.file.Files.delete(file);
            }
        }
        java.nio.file.Files.move(copy.directory(), live.directory());
        // The agent samples its files (every 250 ms at most): the test waits until it said so, not for a time.
        String noticed = awaitText(errors, "warden.receipts-gone", host.timeoutSeconds());
        int exit = host.release();
        List<String> lines = new java.util.ArrayList<>();
        for (String line = ""; !line.equals("DONE"); lines.add(line)) {
            line = host.lines().poll(host.timeoutSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(line).as("the host's lines until DONE: %s", lines).isNotNull();
        }

        assertThat(exit).as(noticed).isZero();
        assertThat(Fixtures.count(shop, "sa", "", "SELECT COUNT(*) FROM orders WHERE id > 1000"))
                .as("inserts that ran after the receipts directory was replaced (%s)", lines).isEqualTo(1);
        assertThat(noticed).contains("warden.receipts-gone: the ", live.directory().toString(), "every action is refused");
        assertThat(lines).filteredOn(l -> l.startsWith("DENIED step=")).hasSize(3)
                .allMatch(l -> l.contains("warden.receipts-gone") && l.contains("(no receipt written)"), "refused naming it, citing no receipt");
        assertThat(live.all()).as("the copy, untouched: nothing written where nobody reads").hasSize(1);
    }

    /** Waits until {@code file} holds {@code text}, at most {@code timeoutSeconds}; returns what the file holds then. */
    private static String awaitText(Path file, String text, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String now = "";
        while (System.nanoTime() < deadline) {
            now = java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
            if (now.contains(text)) {
                return now;
            }
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100); // a poll interval, not a synchronisation: the text decides
        }
        return now; // an agent that never says so fails on what it let happen
    }

    private static void assertRejected(Receipts.Verification verification, String... problems) {
        assertThat(verification.exitCode()).as(verification.output()).isEqualTo(1);
        assertThat(verification.output()).contains(problems);
    }

    private static LogEntry receipt(List<LogEntry> entries, long sequence) {
        return entries.stream()
                .filter(e -> e instanceof LogEntry.StoredReceipt r && parse(r).sequence() == sequence)
                .findFirst().orElseThrow();
    }

    private static Receipt parse(LogEntry.StoredReceipt stored) {
        try {
            return Receipt.parse(stored.bytes());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
