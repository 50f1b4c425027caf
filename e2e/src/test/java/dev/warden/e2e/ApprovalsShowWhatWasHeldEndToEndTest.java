package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.ApprovalCitation;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the approver is shown and signs is what the gate held. Found by a review (2026-12-06): whoever could write the
 * receipts directory (not the log's key, kept elsewhere, nor an approver's) rewrote the published notice of a held
 * {@code DELETE FROM orders} to say {@code SELECT * FROM orders WHERE id = ?}; {@code approvals list} and
 * {@code approve} showed the SELECT, the approver's signature covered the DELETE's digest, and the next run deleted
 * every order. The gate now signs each request with the log's key, and the approvers' CLI checks it against the key
 * the operator gave the approver ({@code --public-key}). Rows counted in the database by the test.
 */
@SameOnEveryJdk
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalsShowWhatWasHeldEndToEndTest {

    private static final String DELETE_ALL = "update:DELETE FROM orders";
    private static final String DELETE_ONE = "update:DELETE FROM orders WHERE id = 1";

    private Path workspace;
    private Receipts store;
    private Path rules;
    private String url;
    private final List<HostJvm.Result> runs = new ArrayList<>();
    private String rewritten;
    private String untouched;
    private String noticeAfterRewrite;
    private ApproverCli.Result list;
    private ApproverCli.Result approveRewritten;
    private ApproverCli.Result approveUntouched;
    private long ordersLeft;

    @BeforeAll
    void holdTwoDeletesRewriteOneApproveBothThenRunThemAgain(@TempDir Path temporary) throws Exception {
        workspace = temporary;
        store = Receipts.in(workspace);
        rules = rules();
        url = "jdbc:h2:file:" + workspace.resolve("shop") + ";DB_CLOSE_DELAY=0";
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            DirectSql.run(db, "CREATE TABLE orders (id INT PRIMARY KEY, amount INT)",
                    "INSERT INTO orders VALUES (1, 10), (2, 20), (3, 30), (4, 40), (5, 50)");
        }

        // Run 0: both deletes are held, each under a request of its own.
        HostJvm.Result held = host();
        rewritten = ApproverCli.awaited(held, 0);
        untouched = ApproverCli.awaited(held, 1);

        // Someone who can write the receipts directory makes the DELETE's notice say SELECT, as sed would.
        Path notice = store.directory().resolve("approvals/requests/" + rewritten + ".json");
        String original = Files.readString(notice);
        noticeAfterRewrite = original.replace("\"operation\":\"DELETE\"", "\"operation\":\"SELECT\"")
                .replace("executeUpdate", "executeQuery").replace("DELETE FROM orders", "SELECT * FROM orders WHERE id = ?");
        Files.writeString(notice, noticeAfterRewrite);

        ApproverCli approver = new ApproverCli(store, workspace.resolve("keys"));
        list = approver.list();
        approveRewritten = approver.approve(rewritten, "a1");
        approveUntouched = approver.approve(untouched, "a1");

        // Run 1, a new host JVM: the same two deletes again.
        host();
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            ordersLeft = DirectSql.count(db, "SELECT count(*) FROM orders");
        }
    }

    @Test
    void theRewrittenRequestIsNotListedAsValidNorApproved() {
        assertThat(noticeAfterRewrite).contains("\"operation\":\"SELECT\"", "SELECT * FROM orders WHERE id = ?");
        assertThat(list.exitCode()).as(list.output()).isEqualTo(3);
        assertThat(list.output()).contains(rewritten + "  REFUSED, not shown: request " + rewritten + " is not what the gate published")
                .doesNotContain("SELECT");
        assertThat(list.output()).as("the untouched request is listed as the gate held it")
                .contains(untouched + "  T2  pending  0/1 approvals").contains("would do: jdbc DELETE on orders");

        assertThat(approveRewritten.exitCode()).as(approveRewritten.output()).isEqualTo(3);
        assertThat(approveRewritten.output()).startsWith("error: request " + rewritten + " is not what the gate published: its"
                + " signature does not verify under the log's public key given with --public-key").contains("nothing was signed");
        assertThat(store.directory().resolve("approvals/decisions/" + rewritten)).doesNotExist();
    }

    @Test
    void theDeleteOfEveryOrderNeverRanTheApprovedDeleteOfOneDid() {
        assertThat(approveUntouched.exitCode()).as(approveUntouched.output()).isZero();
        assertThat(approveUntouched.output()).startsWith("approved request " + untouched + " as a1: jdbc DELETE on orders");
        HostJvm.Result again = runs.get(1);
        assertThat(again.step(0)).as(again.toString()).contains("awaiting approval " + rewritten);
        assertThat(again.step(1)).as(again.toString()).startsWith("OK step=1 ");
        assertThat(ordersLeft).as("orders 2 to 5 are still there").isEqualTo(4);
    }

    @Test
    void theReceiptsSayOnlyTheApprovedDeleteRanAndTheVerifierAcceptsThem() throws Exception {
        List<Receipt> deletes = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        assertThat(deletes).filteredOn(receipt -> receipt.outcome().equals("PERMIT")).singleElement().satisfies(permit -> {
            assertThat(permit.summary()).containsEntry("approval.request", untouched).containsEntry("approval.status", "approved");
            assertThat(permit.approvals()).extracting(ApprovalCitation::approver).containsExactly("a1");
        });
        assertThat(deletes).filteredOn(receipt -> receipt.outcome().equals("HOLD"))
                .extracting(receipt -> receipt.summary().get("approval.request")).containsExactly(rewritten, untouched, rewritten);
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
        ApproverCli.Result report = ApproverCli.exec(HostJvm.verifierCli("approvals", store.directory().toString()));
        assertThat(report.exitCode()).as(report.output()).isZero();
        assertThat(report.output()).contains(untouched + " T2 approved by a1: jdbc DELETE on orders")
                .contains(rewritten + " T2 held: jdbc DELETE on orders");
    }

    private HostJvm.Result host() throws Exception {
        HostJvm.Result result = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=jdbc")
                .with("actor=orders-bot").run(JdbcHost.class, List.of(url, "sa", "", DELETE_ALL, DELETE_ONE));
        runs.add(result);
        if (result.exitCode() != 0 || !result.stdout().contains("DONE")) {
            throw new AssertionError("host run " + (runs.size() - 1) + " failed:\n" + result);
        }
        return result;
    }

    /** Reading orders is free; every delete of one needs approver a1's signature. */
    private Path rules() throws Exception {
        return ApproverCli.rulesWithOneApprover(workspace, "orders.yaml", """
                policies:
                  - role: clerk
                    allow: [jdbc:orders:select, jdbc:orders:delete]
                actors:
                  orders-bot: [clerk]
                tiers:
                  T2: [jdbc:orders:delete]
                approvals:
                  approvers: approvers/
                  T2: {approvers: 1}
                """);
    }
}
