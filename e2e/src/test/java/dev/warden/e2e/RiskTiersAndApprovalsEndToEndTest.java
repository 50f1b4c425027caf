package dev.warden.e2e;

import dev.warden.e2e.host.InvoiceHost;
import dev.warden.receipts.ApprovalCitation;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.SignedApproval;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario S4 end to end: an invoices assistant on LangChain4j (scripted model, real {@code @Tool}
 * methods over an H2 database in a file) in host JVMs started with only {@code -javaagent}, under the
 * S4 policy, with approvers a1, a2 and a3 using the operator jar's CLI between host runs. Warden's
 * clock is a file the test writes ({@code clock=file:}): a day passes without sleeping a day.
 * <ol>
 *   <li>T0 runs; 1,000 T1 updates run and the 1,001st is held; T2 and T3 are held; the model tells
 *       its user the action awaits approval and names the request.</li>
 *   <li>A restarted host runs the T1 update after one approval and deletes invoice 7 after a2's; the
 *       approval for 7 does not delete 8, and is used once; T3 waits for its second approver.</li>
 *   <li>A rejected request stays rejected though approved later; forged, tampered and unknown-key
 *       approvals are ignored, each for its reason.</li>
 *   <li>A day later the T3 request has expired although a second approval came; its new request runs
 *       after two distinct approvers sign within the day.</li>
 * </ol>
 */
@SameOnEveryJdk
class RiskTiersAndApprovalsEndToEndTest {

    private static final Pattern AWAITING = Pattern.compile("awaiting approval ([0-9a-f-]{36})");

    @TempDir
    static Path workspace;

    private static Receipts store;
    private static ApproverCli approvers;
    private static Path clock;
    private static Path db;
    private static Instant start;
    private static final List<HostJvm.Result> runs = new ArrayList<>();
    private static final Map<String, String> requests = new LinkedHashMap<>();
    private static final Map<String, ApproverCli.Result> cli = new LinkedHashMap<>();
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;
    private static ApproverCli.Result report;

    @BeforeAll
    static void theStory() throws Exception {
        store = Receipts.in(workspace);
        Path rules = ApproverCli.rulesWithApprovers(workspace, workspace.resolve("keys"));
        approvers = new ApproverCli(store, workspace.resolve("keys"));
        clock = workspace.resolve("clock.txt");
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        setClock(start);
        db = workspace.resolve("db/invoices");

        // Run A: T0, 1,000 T1, the 1,001st T1, T2 and T3.
        run(rules, db, "seed", "ask:s4:invoice_read:{\"id\":3}", "bulk:1000:bulk",
                "ask:s4:invoice_update_status:{\"id\":5,\"status\":\"paid\"}",
                "ask:s4:invoice_delete:{\"id\":7}",
                "ask:s4:invoice_delete_all:{\"customer\":\"globex\"}",
                "drafts-delete:7",
                "sql:DELETE FROM invoice_drafts WHERE id = 9; SET @warden_probe = 1",
                "sql:MERGE INTO invoice_drafts d USING (SELECT 10 AS id) s ON d.id = s.id WHEN MATCHED THEN DELETE");
        requests.put("T1", awaited(0, 3));
        requests.put("T2", awaited(0, 4));
        requests.put("T3", awaited(0, 5));
        cli.put("list", approvers.list());
        cli.put("approve T1 a1", approvers.approve(requests.get("T1"), "a1"));
        cli.put("approve T2 a2", approvers.approve(requests.get("T2"), "a2"));
        cli.put("approve T3 a1", approvers.approve(requests.get("T3"), "a1"));
        requests.put("draft 7", draftAwaited(0, 6, 7));
        requests.put("stacked draft 9", awaitedIn(line(0, "SQL step=7 ")));
        requests.put("merged draft 10", awaitedIn(line(0, "SQL step=8 ")));
        cli.put("approve draft 7 a2", approvers.approve(requests.get("draft 7"), "a2"));
        badInput();

        // Run B, a new host JVM: what was approved runs, once, and only for the action approved.
        run(rules, db, "ask:s4:invoice_update_status:{\"id\":5,\"status\":\"paid\"}",
                "ask:s4:invoice_delete:{\"id\":8}",
                "ask:s4:invoice_delete:{\"id\":7}",
                "ask:s4:invoice_delete:{\"id\":7}",
                "ask:s4:invoice_delete_all:{\"customer\":\"globex\"}",
                "drafts-delete:7,8");
        requests.put("T2 of 8", awaited(1, 1));
        requests.put("draft 8", draftAwaited(1, 5, 8));
        requests.put("T2 again", awaited(1, 3));
        cli.put("reject 8 a1", approvers.reject(requests.get("T2 of 8"), "a1", "invoice 8 is disputed"));
        cli.put("approve 8 a2 after rejection", approvers.approve(requests.get("T2 of 8"), "a2"));
        forgeDecisions(requests.get("T2 again"));

        // Run C, from the state snapshot: the rejection stands; the forged decisions are ignored; run A's updates still count.
        run(rules, db, "ask:s4:invoice_delete:{\"id\":8}", "ask:s4:invoice_delete:{\"id\":7}",
                "ask:s4:invoice_update_status:{\"id\":6,\"status\":\"paid\"}");

        // A day and an hour later: the T3 request has expired, though its second approval comes now.
        setClock(start.plus(Duration.ofHours(25)));
        cli.put("approve T3 a2 late", approvers.approve(requests.get("T3"), "a2"));
        run(rules, db, "ask:s4:invoice_delete_all:{\"customer\":\"globex\"}");
        requests.put("T3 anew", awaited(3, 0));
        cli.put("approve T3 anew a1", approvers.approve(requests.get("T3 anew"), "a1"));
        cli.put("approve T3 anew a3", approvers.approve(requests.get("T3 anew"), "a3"));
        run(rules, db, "ask:s4:invoice_delete_all:{\"customer\":\"globex\"}", "invoices");

        receipts = store.all();
        verification = store.verify();
        report = ApproverCli.exec(HostJvm.verifierCli("approvals",
                store.directory().toString(), "--at", start.plus(Duration.ofHours(25)).toString()));
    }

    /** Wrong input to the approvers' CLI: each a clear error, exit 2, nothing delivered. */
    private static void badInput() throws Exception {
        String t3 = requests.get("T3");
        cli.put("twice", approvers.approve(t3, "a1"));
        cli.put("unknown id", approvers.approve("01940000-0000-7000-8000-000000000000", "a2"));
        cli.put("not an id", approvers.approve("../../etc/passwd", "a2"));
        Path rsa = workspace.resolve("keys/rsa.pem");
        ApproverCli.exec(List.of("openssl", "genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa.toString()));
        cli.put("rsa key", ApproverCli.cli("approve", t3, "--key", rsa.toString(), "--receipts", store.directory().toString(),
                "--public-key", store.publicKey().toString()));
        Path stranger = workspace.resolve("keys/stranger.pem");
        Ed25519Keys.generate(stranger, workspace.resolve("keys/stranger.pub.pem"));
        cli.put("stranger", ApproverCli.cli("approve", t3, "--key", stranger.toString(), "--receipts", store.directory().toString(),
                "--public-key", store.publicKey().toString()));
        Path garbage = store.directory().resolve("approvals/requests/01940000-0000-7000-8000-00000000000b.json");
        Files.writeString(garbage, "{\"id\": \"not what the gate writes\"");
        cli.put("malformed request", approvers.approve("01940000-0000-7000-8000-00000000000b", "a2"));
        Files.writeString(workspace.resolve("keys/not-a-key.pem"), "hello");
        cli.put("not a key", ApproverCli.cli("approve", t3, "--key", workspace.resolve("keys/not-a-key.pem").toString(),
                "--receipts", store.directory().toString(), "--public-key", store.publicKey().toString()));
    }

    /**
     * Decisions no approvers' CLI would write, dropped into the approvals area by someone who can
     * write there: a3's approval with its digest changed afterwards, a2's signature over another
     * action's digest, and an approval by a key the policy does not know.
     */
    private static void forgeDecisions(String request) throws Exception {
        Path decisions = store.directory().resolve("approvals/decisions/" + request);
        Files.createDirectories(decisions);
        ApprovalRequest held = dev.warden.receipts.PublishedRequest.parse(
                Files.readAllBytes(store.directory().resolve("approvals/requests/" + request + ".json"))).request();
        SignedApproval a3 = SignedApproval.sign(held.statement(ApprovalStatement.APPROVE), "a3",
                Ed25519Keys.readPrivate(approvers.key("a3")), null);
        String expires = ApprovalStatement.time(held.expires());
        String tampered = new String(a3.toJson()).replace(expires, ApprovalStatement.time(held.expires().minus(Duration.ofHours(1))));
        Files.writeString(decisions.resolve("a3.json"), tampered);
        ApprovalStatement other = new ApprovalStatement(request, "ab".repeat(32), ApprovalStatement.APPROVE, held.expires());
        Files.write(decisions.resolve("a2.json"), SignedApproval.sign(other, "a2", Ed25519Keys.readPrivate(approvers.key("a2")), null).toJson());
        Files.write(decisions.resolve("mallory.json"), SignedApproval.sign(held.statement(ApprovalStatement.APPROVE), "mallory",
                Ed25519Keys.readPrivate(workspace.resolve("keys/stranger.pem")), null).toJson());
    }

    private static void run(Path rules, Path db, String... steps) throws Exception {
        List<String> arguments = new ArrayList<>();
        arguments.add(db.toString());
        arguments.addAll(List.of(steps));
        HostJvm.Result result = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules)
                .with("surfaces=tool,model,jdbc").with("actor=invoice-assistant").with("clock=file:" + clock)
                .run(InvoiceHost.class, arguments);
        runs.add(result);
        if (result.exitCode() != 0 || !result.stdout().contains("DONE")) {
            throw new AssertionError("host run " + (runs.size() - 1) + " failed:\n" + result);
        }
    }

    private static void setClock(Instant now) throws Exception {
        Path temp = Files.createTempFile(workspace, "clock", ".tmp");
        Files.writeString(temp, now.toString());
        Files.move(temp, clock, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The request the model relayed in its answer at a step of a run. */
    private static String awaited(int run, int step) {
        String answer = line(run, "ANSWER step=" + step + " ");
        Matcher m = AWAITING.matcher(answer);
        if (!m.find()) {
            throw new AssertionError("run " + run + " step " + step + " awaits no approval: " + answer + "\n" + runs.get(run));
        }
        return m.group(1);
    }

    private static String awaitedIn(String refused) {
        Matcher m = AWAITING.matcher(refused);
        if (!m.find()) {
            return "none: " + refused;
        }
        return m.group(1);
    }

    /** The request a refused execution of the drafts statement named, at a step of a run. */
    private static String draftAwaited(int run, int step, long id) {
        String refused = line(run, "DRAFT step=" + step + " id=" + id + " ");
        Matcher m = AWAITING.matcher(refused);
        if (!m.find()) {
            throw new AssertionError("run " + run + " step " + step + " id " + id + " awaits no approval: " + refused + "\n" + runs.get(run));
        }
        return m.group(1);
    }

    private static String line(int run, String prefix) {
        return runs.get(run).lines().stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in run " + run + ":\n" + runs.get(run)));
    }

    private static List<String> bodies(int run) {
        return runs.get(run).lines().stream().filter(l -> l.startsWith("BODY ")).map(l -> l.substring(l.indexOf("tool=") + 5)).toList();
    }

    private static List<Receipt> toolReceipts(String operation) {
        return receipts.stream().filter(r -> r.surface().equals("tool") && r.operation().equals(operation)).toList();
    }

    private static Receipt receipt(String id) {
        return receipts.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void t0RunsAndTheFirstThousandT1UpdatesRunWithoutApproval() {
        assertThat(line(0, "TOOL step=1 ")).contains("error=false", "invoice 3: acme 300 unpaid");
        assertThat(line(0, "BULK step=2 ")).isEqualTo("BULK step=2 ran=1000 refused=0");
        Receipt read = toolReceipts("invoice_read").get(0);
        assertThat(read.outcome()).isEqualTo("PERMIT");
        assertThat(read.summary()).containsEntry("tier", "T0");
        List<Receipt> updates = toolReceipts("invoice_update_status");
        assertThat(updates.subList(0, 1000)).allSatisfy(update -> {
            assertThat(update.outcome()).isEqualTo("PERMIT");
            assertThat(update.summary()).containsEntry("tier", "T1");
        });
        assertThat(updates.get(999).summary().get("approval.counted")).isEqualTo("T1 1000 of 1000 this month for actor invoice-assistant");
    }

    @Test
    void theThousandAndFirstT1UpdateIsHeldAndTheModelRelaysTheRequest() {
        Receipt held = receipt(requests.get("T1"));
        assertThat(held.outcome()).isEqualTo("HOLD");
        assertThat(held.operation()).isEqualTo("invoice_update_status");
        assertThat(held.rules()).containsExactly("approval:T1");
        assertThat(held.summary()).containsEntry("approval.request", held.id()).containsEntry("approval.status", "pending")
                .containsEntry("approval.needs", "1").containsEntry("tier", "T1")
                .containsEntry("approval.counted", "T1 1001 of 1000 this month for actor invoice-assistant: beyond 1000, needs approval");
        assertThat(line(0, "TOOL step=3 ")).contains("error=true", "warden: held for approval by approval:T1: awaiting approval " + held.id(),
                "(receipt " + held.id() + ")");
        assertThat(line(0, "ANSWER step=3 ")).contains("invoice_update_status -> warden: held for approval", "awaiting approval " + held.id());
        assertThat(bodies(0)).doesNotContain("invoice_update_status 5 paid").contains("invoice_read 3");
    }

    @Test
    void t2AndT3AreHeldNamingHowManyApproversWithinWhatWindow() {
        Receipt t2 = receipt(requests.get("T2"));
        Receipt t3 = receipt(requests.get("T3"));
        assertThat(t2.outcome()).isEqualTo("HOLD");
        assertThat(t2.reason()).startsWith("awaiting approval " + t2.id() + " (1 approver, 0 so far, until ");
        assertThat(t3.outcome()).isEqualTo("HOLD");
        assertThat(t3.reason()).startsWith("awaiting approval " + t3.id() + " (2 distinct approvers, 0 so far, until ");
        assertThat(t3.summary()).containsEntry("approval.expires", ApprovalStatement.time(t3.time().plus(Duration.ofHours(24))))
                .containsEntry("approval.approvers", "approvers/");
        assertThat(bodies(0)).noneMatch(body -> body.startsWith("invoice_delete"));
    }

    @Test
    void approversListWhatWaitsWithWhatItWouldDoWhoAskedForWhomAndUntilWhen() {
        ApproverCli.Result list = cli.get("list");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).contains(requests.get("T1") + "  T1  pending  0/1 approvals",
                requests.get("T2") + "  T2  pending  0/1 approvals", requests.get("T3") + "  T3  pending  0/2 approvals",
                "would do: tool invoice_delete_all on invoice_delete_all", "asked by invoice-assistant for ulla in session s4",
                "approvers a1, a2, a3");
        assertThat(cli.get("approve T1 a1").exitCode()).as(cli.get("approve T1 a1").output()).isZero();
        assertThat(cli.get("approve T1 a1").output()).startsWith("approved request " + requests.get("T1") + " as a1");
    }

    @Test
    void afterARestartTheApprovedT1UpdateRunsCitingItsApproval() {
        assertThat(line(1, "TOOL step=0 ")).contains("error=false", "updated 1 invoice(s)");
        Receipt permit = toolReceipts("invoice_update_status").get(1001);
        assertThat(permit.outcome()).isEqualTo("PERMIT");
        assertThat(permit.summary()).containsEntry("approval.request", requests.get("T1")).containsEntry("approval.status", "approved");
        assertThat(permit.approvals()).extracting(ApprovalCitation::approver, ApprovalCitation::decision, ApprovalCitation::request)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a1", "approve", requests.get("T1")));
        Receipt used = receipts.stream().filter(r -> r.surface().equals("approval") && permit.id().equals(r.summary().get("approval.action")))
                .findFirst().orElseThrow();
        assertThat(used.rules()).containsExactly("warden.approval");
        assertThat(used.approvals()).isEqualTo(permit.approvals());
    }

    @Test
    void anApprovalToDeleteInvoice7DoesNotDeleteInvoice8AndIsUsedOnce() {
        assertThat(line(1, "TOOL step=1 ")).contains("error=true", "awaiting approval " + requests.get("T2 of 8"));
        assertThat(requests.get("T2 of 8")).isNotEqualTo(requests.get("T2"));
        assertThat(line(1, "TOOL step=2 ")).contains("error=false", "deleted 1 invoice(s)");
        assertThat(line(1, "TOOL step=3 ")).contains("error=true", "awaiting approval " + requests.get("T2 again"));
        assertThat(requests.get("T2 again")).isNotEqualTo(requests.get("T2"));
        assertThat(bodies(1)).containsExactly("invoice_update_status 5 paid", "invoice_delete 7");
    }

    @Test
    void aStatementsApprovalBindsItsBoundValuesTheSameStatementWithAnotherIdIsANewRequest() {
        assertThat(line(0, "DRAFT step=6 id=7 ")).contains("refused=warden: held for approval by approval:T2: awaiting approval "
                + requests.get("draft 7"));
        assertThat(cli.get("approve draft 7 a2").exitCode()).as(cli.get("approve draft 7 a2").output()).isZero();
        assertThat(line(1, "DRAFT step=5 id=7 ")).isEqualTo("DRAFT step=5 id=7 deleted=1");
        assertThat(line(1, "DRAFT step=5 id=8 ")).contains("refused=warden: held for approval by approval:T2: awaiting approval "
                + requests.get("draft 8"));
        assertThat(requests.get("draft 8")).isNotEqualTo(requests.get("draft 7"));

        Receipt held7 = receipt(requests.get("draft 7"));
        Receipt held8 = receipt(requests.get("draft 8"));
        Receipt ran7 = receipts.stream().filter(r -> r.surface().equals("jdbc") && r.outcome().equals("PERMIT")
                && requests.get("draft 7").equals(r.summary().get("approval.request"))).findFirst().orElseThrow();
        assertThat(List.of(held7.outcome(), held8.outcome())).containsOnly("HOLD");
        assertThat(held8.target()).isEqualTo(held7.target()).isEqualTo("invoice_drafts");
        assertThat(held8.summary().get("sql.shape")).isEqualTo(held7.summary().get("sql.shape"));
        assertThat(ran7.actionDigest()).isEqualTo(held7.actionDigest());
        assertThat(held8.actionDigest()).as("the same SQL with another bound id").isNotEqualTo(held7.actionDigest());
        assertThat(ran7.approvals()).extracting(ApprovalCitation::approver).containsExactly("a2");
        assertThat(List.of(held7, held8, ran7)).as("bound values are digested, never written")
                .allSatisfy(r -> assertThat(r.summary().keySet()).noneMatch(key -> key.contains("param")));
        assertThat(report.output()).contains(requests.get("draft 7") + " T2 approved by a2", requests.get("draft 8") + " T2 expired");
    }

    /**
     * A tier holds the statement that does what it names however the statement is merged with others: a draft's
     * {@code DELETE} with a {@code SET} stacked after it is a string whose strongest operation is DDL, and the tier
     * {@code jdbc:invoice_drafts:delete} held only its DDL path; it deleted draft 9 with no approval (a thirteenth
     * review). Counted by the test itself in the H2 file once every host is gone.
     */
    @Test
    void aDeleteStackedWithAnotherStatementIsHeldByTheTierOfTheDelete() throws Exception {
        try (java.sql.Connection h2 = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db, "sa", "");
             java.sql.ResultSet left = h2.createStatement().executeQuery("SELECT COUNT(*) FROM invoice_drafts WHERE id = 9")) {
            assertThat(left.next()).isTrue();
            assertThat(left.getLong(1)).as("draft 9, deleted only with an approval").isEqualTo(1);
        }
        assertThat(line(0, "SQL step=7 ")).contains("refused=warden: held for approval by approval:T2: awaiting approval "
                + requests.get("stacked draft 9"));
        Receipt held = receipt(requests.get("stacked draft 9"));
        assertThat(held.outcome()).isEqualTo("HOLD");
        assertThat(held.operation()).isEqualTo("DDL");
        assertThat(held.summary()).containsEntry("tier", "T2").containsEntry("sql.statements", "2");
    }

    /**
     * A {@code MERGE} whose {@code WHEN MATCHED THEN DELETE} deletes rows is a {@code DELETE}: read as {@code MERGE}, which
     * ranks below it, it passed the tier {@code jdbc:invoice_drafts:delete} and deleted draft 10 with no approval (a
     * thirteenth review). Counted by the test itself in the H2 file once every host is gone.
     */
    @Test
    void aMergeThatDeletesIsHeldByTheTierOfDeletes() throws Exception {
        try (java.sql.Connection h2 = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db, "sa", "");
             java.sql.ResultSet left = h2.createStatement().executeQuery("SELECT COUNT(*) FROM invoice_drafts WHERE id = 10")) {
            assertThat(left.next()).isTrue();
            assertThat(left.getLong(1)).as("draft 10, deleted only with an approval").isEqualTo(1);
        }
        assertThat(line(0, "SQL step=8 ")).contains("refused=warden: held for approval by approval:T2: awaiting approval "
                + requests.get("merged draft 10"));
        Receipt held = receipt(requests.get("merged draft 10"));
        assertThat(held.outcome()).isEqualTo("HOLD");
        assertThat(held.operation()).isEqualTo("DELETE");
        assertThat(held.summary()).containsEntry("tier", "T2");
    }

    @Test
    void t3WaitsForItsSecondDistinctApprover() {
        assertThat(line(1, "TOOL step=4 ")).contains("error=true", "awaiting approval " + requests.get("T3") + " (2 distinct approvers, 1 so far");
        assertThat(cli.get("twice").exitCode()).isEqualTo(2);
        assertThat(cli.get("twice").output()).contains("error: approver a1 already decided on request " + requests.get("T3"));
    }

    @Test
    void aRejectedRequestStaysRejectedThoughAnotherApproverApprovesItLater() {
        assertThat(cli.get("reject 8 a1").exitCode()).as(cli.get("reject 8 a1").output()).isZero();
        assertThat(cli.get("approve 8 a2 after rejection").exitCode()).isZero(); // the CLI delivers it; the gate decides
        assertThat(line(2, "TOOL step=0 ")).contains("error=true", "warden: denied by approval:T2: request " + requests.get("T2 of 8")
                + " was rejected by a1: invoice 8 is disputed");
        Receipt refusal = toolReceipts("invoice_delete").stream().filter(r -> r.outcome().equals("DENY")).findFirst().orElseThrow();
        assertThat(refusal.approvals()).extracting(ApprovalCitation::approver, ApprovalCitation::decision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a1", "reject"));
        assertThat(bodies(2)).isEmpty();
    }

    @Test
    void forgedTamperedAndUnknownKeyApprovalsAreIgnoredEachForItsReason() {
        assertThat(line(2, "TOOL step=1 ")).contains("error=true", "awaiting approval " + requests.get("T2 again") + " (1 approver, 0 so far");
        Receipt held = toolReceipts("invoice_delete").stream()
                .filter(r -> r.outcome().equals("HOLD") && requests.get("T2 again").equals(r.summary().get("approval.request")))
                .reduce((first, second) -> second).orElseThrow();
        assertThat(held.summary().get("approval.ignored"))
                .contains("a2: signed for another action (digest " + "ab".repeat(32) + ")")
                .contains("a3: the signature does not verify under a3's key")
                .contains("mallory: not an approver of this policy");
    }

    @Test
    void aStartFromTheStateSnapshotRemembersTheCountedUpdatesAndWhichRequestsWereUsed() {
        assertThat(runs.get(2).stderr()).as("run B kept the snapshot run C starts from")
                .contains("warden: state restored from a snapshot of the first ");
        assertThat(line(2, "TOOL step=2 ")).contains("error=true", "warden: held for approval by approval:T1");
        Receipt held = toolReceipts("invoice_update_status").stream().filter(r -> r.outcome().equals("HOLD"))
                .reduce((first, second) -> second).orElseThrow();
        assertThat(held.summary()).as("run A's thousand updates, counted from the snapshot")
                .containsEntry("approval.counted", "T1 1001 of 1000 this month for actor invoice-assistant: beyond 1000, needs approval");
        assertThat(held.id()).isNotEqualTo(requests.get("T1"));
    }

    @Test
    void aDayLaterTheT3RequestHasExpiredAndItsNewRequestRunsAfterTwoDistinctApprovers() {
        assertThat(cli.get("approve T3 a2 late").exitCode()).isZero();
        assertThat(line(3, "TOOL step=0 ")).contains("error=true", "awaiting approval " + requests.get("T3 anew") + " (2 distinct approvers, 0 so far");
        assertThat(requests.get("T3 anew")).isNotEqualTo(requests.get("T3"));
        assertThat(line(4, "TOOL step=0 ")).contains("error=false", "deleted 10 invoice(s)");
        assertThat(line(4, "INVOICES step=1 ")).isEqualTo("INVOICES step=1 ids=1,2,3,4,5,6,8,9,10");
        Receipt permit = toolReceipts("invoice_delete_all").stream().filter(r -> r.outcome().equals("PERMIT")).findFirst().orElseThrow();
        assertThat(permit.approvals()).extracting(ApprovalCitation::approver).containsExactly("a1", "a3");
        assertThat(permit.time()).isAfter(start.plus(Duration.ofHours(25)).minusSeconds(1));
    }

    @Test
    void wrongInputToTheApproversCliIsAClearErrorAndApprovesNothing() {
        assertThat(cli.get("unknown id").output()).contains("error: no request 01940000-0000-7000-8000-000000000000 in ");
        assertThat(cli.get("not an id").output()).contains("error: '../../etc/passwd' is not a request id");
        assertThat(cli.get("rsa key").output()).contains("error: ").contains("is not Ed25519");
        assertThat(cli.get("stranger").output()).contains("error: the key in the given file is not one of the approvers of request "
                + requests.get("T3") + " (a1, a2, a3)");
        assertThat(cli.get("malformed request").output()).contains("error: request 01940000-0000-7000-8000-00000000000b in ")
                .contains("is unreadable");
        assertThat(cli.get("not a key").output()).contains("error: ").contains("must be a PEM 'PRIVATE KEY' block");
        for (String bad : List.of("twice", "unknown id", "not an id", "rsa key", "stranger", "malformed request", "not a key")) {
            assertThat(cli.get(bad).exitCode()).as(bad + ": " + cli.get(bad).output()).isEqualTo(2);
        }
        assertThat(store.directory().resolve("approvals/decisions/01940000-0000-7000-8000-000000000000")).doesNotExist();
    }

    @Test
    void theAuditorsVerifierChecksEveryApprovalAndReportsEachRequest() {
        assertThat(verification.exitCode()).as(verification.output()).isZero();
        assertThat(report.exitCode()).as(report.output()).isZero();
        assertThat(report.output()).contains(
                requests.get("T1") + " T1 approved by a1",
                requests.get("T2") + " T2 approved by a2",
                requests.get("T3") + " T3 expired",
                requests.get("T2 of 8") + " T2 rejected by a1",
                requests.get("T2 again") + " T2 expired",
                requests.get("T3 anew") + " T3 approved by a1, a3");
    }
}
