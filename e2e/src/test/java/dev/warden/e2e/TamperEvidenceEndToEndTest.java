package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Ed25519Keys;
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

    @Test
    void theWrongPublicKey() throws Exception {
        Ed25519Keys.generate(workspace.resolve("stranger.pem"), workspace.resolve("stranger.pub.pem"));

        assertRejected(copy.withPublicKey(workspace.resolve("stranger.pub.pem")).verify(),
                "not signed by the given public key");
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
