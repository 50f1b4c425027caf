package dev.warden.agent.cli;

import dev.warden.agent.approval.ApprovalsArea;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.PublishedRequest;
import dev.warden.receipts.SignedApproval;
import dev.warden.receipts.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The approvers' commands show and sign only what the gate published, checked against the log's public key the
 * approver names. Found by a review (2026-12-06): a held {@code DELETE FROM orders} whose notice was rewritten in the
 * approvals area to say {@code SELECT} was listed and approved as the SELECT, and the approval ran the DELETE.
 */
class ApprovalsCommandsTest {

    private static final String ID = "0193a8c0-0003-7000-8000-000000000003";

    @TempDir
    Path tmp;
    private Path receipts;
    private Path logPublicKey;
    private SigningKey logKey;
    private Path approverKey;
    private ApprovalsArea area;
    private ApprovalRequest held;

    @BeforeEach
    void aHeldDeletePublishedByTheGate() throws Exception {
        receipts = Files.createDirectories(tmp.resolve("receipts"));
        logPublicKey = tmp.resolve("log.pub.pem");
        logKey = Ed25519Keys.generate(tmp.resolve("log.pem"), logPublicKey);
        approverKey = tmp.resolve("a1.pem");
        SigningKey a1 = Ed25519Keys.generate(approverKey, tmp.resolve("a1.pub.pem"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        held = new ApprovalRequest(ID, now, now.plus(1, ChronoUnit.DAYS), "46".repeat(32), 2, 1,
                new TreeMap<>(Map.of("a1", Base64.getEncoder().encodeToString(a1.publicKey().raw()))), "ab".repeat(32),
                "orders-bot", "ulla", "s4", "jdbc", "DELETE", "orders",
                new TreeMap<>(Map.of("jdbc.method", "executeUpdate", "sql.shape", "DELETE FROM orders", "tier", "T2")),
                "tier T2 needs 1 approver within 24h");
        area = new ApprovalsArea(receipts);
        area.publish(PublishedRequest.sign(held, logKey));
    }

    @Test
    void theRequestAsTheGatePublishedItIsListedAndApproved() throws Exception {
        Run list = run("approvals", "list", "--receipts", receipts.toString(), "--public-key", logPublicKey.toString());
        assertThat(list.exitCode).as(list.toString()).isZero();
        assertThat(list.out).contains(ID + "  T2  pending  0/1 approvals").contains("would do: jdbc DELETE on orders")
                .contains("asked by orders-bot for ulla in session s4");

        Run approve = approve();
        assertThat(approve.exitCode).as(approve.toString()).isZero();
        assertThat(approve.out).startsWith("approved request " + ID + " as a1: jdbc DELETE on orders");
        assertThat(area.readDecisions(ID).readable()).singleElement()
                .satisfies(decision -> assertThat(decision.statement().digest()).isEqualTo(held.digest()));
    }

    @Test
    void aRequestRewrittenToShowASelectIsNeitherListedNorSigned() throws Exception {
        Path file = area.request(ID);
        Files.writeString(file, Files.readString(file).replace("\"operation\":\"DELETE\"", "\"operation\":\"SELECT\"")
                .replace("executeUpdate", "executeQuery").replace("DELETE FROM orders", "SELECT * FROM orders WHERE id = ?"));

        Run list = run("approvals", "list", "--receipts", receipts.toString(), "--public-key", logPublicKey.toString());
        assertThat(list.exitCode).as(list.toString()).isEqualTo(ApprovalsCommands.NOT_PUBLISHED);
        assertThat(list.out).contains(ID + "  REFUSED, not shown: request " + ID + " is not what the gate published")
                .doesNotContain("SELECT").doesNotContain("would do");

        Run approve = approve();
        assertThat(approve.exitCode).as(approve.toString()).isEqualTo(ApprovalsCommands.NOT_PUBLISHED);
        assertThat(approve.err).startsWith("error: request " + ID + " is not what the gate published: its signature does not"
                + " verify under the log's public key given with --public-key").contains("nothing was signed");
        assertThat(approve.out).isEmpty();
        assertThat(Files.exists(area.decisions(ID))).as("nothing delivered").isFalse();
    }

    @Test
    void aRequestSignedWithAKeyPutInTheDirectoryIsRefusedUnderTheKeyTheApproverWasGiven() throws Exception {
        // Whoever writes the directory can write its public-key.pem too, and sign with the key of its own.
        Path planted = receipts.resolve("public-key.pem");
        SigningKey theirs = Ed25519Keys.generate(tmp.resolve("theirs.pem"), planted);
        ApprovalRequest select = new ApprovalRequest(ID, held.time(), held.expires(), held.digest(), 2, 1, held.approvers(),
                held.policyVersion(), held.actor(), held.onBehalfOf(), held.session(), "jdbc", "SELECT", "orders",
                new TreeMap<>(Map.of("sql.shape", "SELECT * FROM orders WHERE id = ?")), held.reason());
        area.publish(PublishedRequest.sign(select, theirs));

        assertThat(approve().exitCode).isEqualTo(ApprovalsCommands.NOT_PUBLISHED);
        Run trustingTheDirectory = run("approve", ID, "--key", approverKey.toString(), "--receipts", receipts.toString(),
                "--public-key", planted.toString());
        assertThat(trustingTheDirectory.exitCode).as("only a key from elsewhere protects").isZero();
        assertThat(Files.exists(area.decisions(ID).resolve("a1.json"))).isTrue();
    }

    @Test
    void aRequestClosedBeforeThisVersionIsLeftOutOfThePendingListButRefusedInTheFullOne() throws Exception {
        Files.write(area.request(ID), held.toJson());
        area.markClosed(ID, "approved");
        Run pending = run("approvals", "list", "--receipts", receipts.toString(), "--public-key", logPublicKey.toString());
        assertThat(pending.exitCode).as(pending.toString()).isZero();
        assertThat(pending.out).startsWith("no pending approval requests in ");
        Run all = run("approvals", "list", "--all", "--receipts", receipts.toString(), "--public-key", logPublicKey.toString());
        assertThat(all.exitCode).isEqualTo(ApprovalsCommands.NOT_PUBLISHED);
        assertThat(all.out).contains(ID + "  REFUSED, not shown: request " + ID + " is not signed by the gate");
    }

    @Test
    void anUnsignedRequestAndAnotherRequestsNoticeAreRefused() throws Exception {
        Files.write(area.request(ID), held.toJson());
        Run unsigned = approve();
        assertThat(unsigned.exitCode).isEqualTo(ApprovalsCommands.NOT_PUBLISHED);
        assertThat(unsigned.err).contains("request " + ID + " is not signed by the gate");

        String other = "0193a8c0-0003-7000-8000-000000000004";
        area.publish(PublishedRequest.sign(held, logKey));
        Files.copy(area.request(ID), area.request(other));
        Run copied = run("reject", other, "--key", approverKey.toString(), "--receipts", receipts.toString(),
                "--public-key", logPublicKey.toString());
        assertThat(copied.exitCode).isEqualTo(ApprovalsCommands.NOT_PUBLISHED);
        assertThat(copied.err).contains("request " + other + " holds another request, " + ID);
        assertThat(Files.exists(area.decisions(other))).isFalse();
    }

    @Test
    void withoutTheLogsPublicKeyTheDirectorysOwnIsCheckedWithAWarning() throws Exception {
        Files.copy(logPublicKey, receipts.resolve("public-key.pem"));
        Run list = run("approvals", "list", "--receipts", receipts.toString());
        assertThat(list.exitCode).as(list.toString()).isZero();
        assertThat(list.err).startsWith("warning: requests are checked against " + receipts.resolve("public-key.pem"));
        assertThat(list.out).contains("DELETE");

        // A rewritten request that the directory's key does not sign is refused all the same.
        area.publish(PublishedRequest.sign(held, SigningKey.fromSeed(new byte[32])));
        Run approve = run("approve", ID, "--key", approverKey.toString(), "--receipts", receipts.toString());
        assertThat(approve.exitCode).isEqualTo(ApprovalsCommands.NOT_PUBLISHED);
        assertThat(Files.exists(area.decisions(ID))).isFalse();
    }

    @Test
    void withoutAPublicKeyOrADirectoryNothingIsShown() {
        Run list = run("approvals", "list", "--state", "redis://127.0.0.1:1");
        assertThat(list.exitCode).isEqualTo(ApprovalsCommands.BAD_INPUT);
        assertThat(list.err).startsWith("error: name the public key of the gate's receipt log with --public-key FILE");
        assertThat(list.out).isEmpty();
    }

    @Test
    void aDecisionDroppedInTheAreaThatItsApproversKeyDidNotSignIsNotCounted() throws Exception {
        SigningKey stranger = SigningKey.fromSeed(new byte[32]);
        area.deliver(SignedApproval.sign(held.statement(ApprovalStatement.APPROVE), "a1", stranger, null));
        Run list = run("approvals", "list", "--receipts", receipts.toString(), "--public-key", logPublicKey.toString());
        assertThat(list.exitCode).as(list.toString()).isZero();
        assertThat(list.out).contains("0/1 approvals")
                .contains("not counted: approve by a1: its signature does not verify under a1's key");
    }

    /**
     * Whoever can write the area links a decision's name to {@code /dev/zero} (a read that never ends) beside a1's approval:
     * read whole, it filled the command's memory (an eighth review, 2026-12-07). Now it is an unreadable decision, and
     * a1's approval still counts. The gate reads decisions through the same area (its FIFO case is
     * {@code ApprovalsShowWhatWasHeldEndToEndTest.AFifoWhereADecisionOrTheLogsKeyGoes}).
     */
    @Test
    void aDecisionThatIsNoFileIsNotReadAndTheOthersCount() throws Exception {
        assertThat(approve().exitCode).isZero();
        Files.createSymbolicLink(area.decisions(ID).resolve("a2.json"), Path.of("/dev/zero"));
        Run list = run("approvals", "list", "--receipts", receipts.toString(), "--public-key", logPublicKey.toString());
        assertThat(list.exitCode).as(list.toString()).isZero();
        assertThat(list.out).contains("1/1 approvals", "    approve by a1",
                "    unreadable decision a2.json: a2.json is not a regular file (a FIFO, device or socket): not read");
        assertThat(area.readDecisions(ID).readable()).extracting(SignedApproval::approver).containsExactly("a1");
    }

    private Run approve() {
        return run("approve", ID, "--key", approverKey.toString(), "--receipts", receipts.toString(),
                "--public-key", logPublicKey.toString());
    }

    private static Run run(String... arguments) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exitCode = new CommandLine(new WardenCli()).execute(arguments);
            return new Run(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private record Run(int exitCode, String out, String err) {
    }
}
