package dev.warden.e2e;

import dev.warden.agent.approval.ApprovalsArea;
import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.ApprovalCitation;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /**
     * What an approved hold runs under is what the rules attach and what the approver is shown: a read of patients held
     * by a rule, and one of claims held by its tier, both capped at two rows and read without {@code ssn} by the rules,
     * run so once approved, on a retry in a new host JVM and while the held call waits ({@code hold-wait}). Found by a
     * sixth review (2026-12-07): a hold carried no obligations, so the approved read of patients returned all five rows
     * and their social security numbers, and a call approved while it waited returned them for claims too.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AnApprovedHoldRunsUnderTheRulesObligations {

        private static final String PATIENTS = "query:SELECT * FROM patients ORDER BY id";
        private static final String CLAIMS = "query:SELECT * FROM claims ORDER BY id";
        private static final String PATIENT_1 = "first=id=1,name=Ann,ssn=[REDACTED]";
        private static final String CLAIM_1 = "first=id=1,patient=1,ssn=[REDACTED],amount=100";

        private Receipts clinic;
        private Path clinicRules;
        private String clinicUrl;
        private HostJvm.Result heldFirst;
        private HostJvm.Result approvedOnRetry;
        private ApproverCli.Result listed;
        private final List<ApproverCli.Result> approvals = new ArrayList<>();
        private final List<String> whileWaiting = new ArrayList<>();
        private final List<String> waitedFor = new ArrayList<>();

        @BeforeAll
        void holdBothReadsApproveThemRunThemAgainThenApproveThemWhileTheyWait(@TempDir Path temporary) throws Exception {
            clinic = Receipts.in(temporary);
            clinicRules = clinicRules(temporary);
            clinicUrl = "jdbc:h2:file:" + temporary.resolve("clinic") + ";DB_CLOSE_DELAY=0";
            try (Connection db = DriverManager.getConnection(clinicUrl, "sa", "")) {
                DirectSql.run(db, "CREATE TABLE patients (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(11))",
                        "INSERT INTO patients VALUES (1, 'Ann', '111-11-1111'), (2, 'Bob', '222-22-2222'), (3, 'Cy', '333-33-3333'),"
                                + " (4, 'Di', '444-44-4444'), (5, 'Ed', '555-55-5555')",
                        "CREATE TABLE claims (id INT PRIMARY KEY, patient INT, ssn VARCHAR(11), amount INT)",
                        "INSERT INTO claims VALUES (1, 1, '111-11-1111', 100), (2, 2, '222-22-2222', 200), (3, 3, '333-33-3333', 300)");
            }
            ApproverCli approver = new ApproverCli(clinic, temporary.resolve("keys"));

            // Run 0: both reads held; listed with what they would run under; approved by a1; run 1 reads them again.
            heldFirst = clinicHost().run(JdbcHost.class, List.of(clinicUrl, "sa", "", PATIENTS, CLAIMS));
            listed = approver.list();
            for (int step = 0; step < 2; step++) {
                approvals.add(approver.approve(ApproverCli.awaited(heldFirst, step), "a1"));
            }
            approvedOnRetry = clinicHost().run(JdbcHost.class, List.of(clinicUrl, "sa", "", PATIENTS, CLAIMS));

            // Run 2 waits at each read for its approval, given while it waits.
            ApprovalsArea area = new ApprovalsArea(clinic.directory());
            Path requests = area.root().resolve("requests");
            List<String> seen = new ArrayList<>(area.requestIds());
            try (WatchService watch = requests.getFileSystem().newWatchService()) {
                requests.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
                HostJvm.Running waiting = clinicHost().with("hold-wait=120000").errorsTo(temporary.resolve("waiting.err"))
                        .start(JdbcHost.class, List.of(clinicUrl, "sa", "", PATIENTS, CLAIMS));
                try {
                    for (int step = 0; step < 2; step++) {
                        String request = awaitNewRequest(watch, area, seen);
                        seen.add(request);
                        waitedFor.add(request);
                        approvals.add(approver.approve(request, "a1"));
                        whileWaiting.add(waiting.awaitLine("OK step=" + step + " "));
                    }
                    waiting.awaitLine("DONE");
                    // Its exit signs the last checkpoint: killed before, its last receipts are uncheckpointed.
                    if (!waiting.process().waitFor(HostJvm.defaultTimeoutSeconds(), TimeUnit.SECONDS)
                            || waiting.process().exitValue() != 0) {
                        throw new AssertionError("the waiting host did not exit cleanly");
                    }
                } finally {
                    waiting.killHard();
                }
            }
        }

        @Test
        void approversAreShownWhatAnApprovalRunsTheReadUnder() {
            assertThat(heldFirst.step(0)).as(heldFirst.toString()).contains("held for approval by approval:hold: awaiting approval");
            assertThat(heldFirst.step(1)).as(heldFirst.toString()).contains("held for approval by approval:T2");
            assertThat(listed.exitCode()).as(listed.output()).isZero();
            assertThat(listed.output().split("once approved, runs under: maxRows=2, redact=ssn", -1)).as(listed.output()).hasSize(3);
            assertThat(approvals).allSatisfy(approval -> assertThat(approval.exitCode()).as(approval.output()).isZero());
        }

        @Test
        void approvedOnItsRetryEachReadReturnsTwoRowsWithoutSsn() {
            assertThat(approvedOnRetry.step(0)).as(approvedOnRetry.toString()).isEqualTo("OK step=0 rows=2 " + PATIENT_1);
            assertThat(approvedOnRetry.step(1)).as(approvedOnRetry.toString()).isEqualTo("OK step=1 rows=2 " + CLAIM_1);
        }

        @Test
        void approvedWhileItWaitsEachReadReturnsTwoRowsWithoutSsn() {
            assertThat(whileWaiting).containsExactly("OK step=0 rows=2 " + PATIENT_1, "OK step=1 rows=2 " + CLAIM_1);
        }

        @Test
        void eachHoldAndEachApprovedReadRecordsTheObligationsAndTheVerifierAcceptsThem() throws Exception {
            List<Receipt> reads = clinic.all().stream().filter(receipt -> receipt.operation().equals("SELECT")).toList();
            assertThat(reads).extracting(Receipt::outcome)
                    .containsExactly("HOLD", "HOLD", "PERMIT", "PERMIT", "HOLD", "PERMIT", "HOLD", "PERMIT");
            assertThat(reads).allSatisfy(read -> assertThat(read.obligations()).as(read.toString())
                    .isEqualTo(java.util.Map.of("maxRows", "2", "redact", "ssn")));
            assertThat(reads).filteredOn(read -> read.outcome().equals("PERMIT")).hasSize(4)
                    .allSatisfy(read -> assertThat(read.approvals()).extracting(ApprovalCitation::approver).containsExactly("a1"));
            assertThat(reads.get(5).summary()).containsEntry("approval.request", waitedFor.get(0));
            Receipts.Verification verification = clinic.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }

        private HostJvm clinicHost() {
            return HostJvm.withAgent(clinic.agentArguments()).with("rules=" + clinicRules).with("surfaces=jdbc")
                    .with("actor=records-bot");
        }

        /** The id of the first request published that is not one of {@code seen}, told by the file system. */
        private String awaitNewRequest(WatchService watch, ApprovalsArea area, List<String> seen) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HostJvm.defaultTimeoutSeconds());
            while (true) {
                for (String id : area.requestIds()) {
                    if (!seen.contains(id)) {
                        return id;
                    }
                }
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    throw new AssertionError("the waiting host published no new request");
                }
                key.pollEvents();
                key.reset();
            }
        }

        /**
         * The records bot may read patients and claims; a rule holds every read of patients, the tier T2 every read of
         * claims; rules cap both at two rows, and the bot's permit reads them without ssn.
         */
        private Path clinicRules(Path workspace) throws Exception {
            Path rules = ApproverCli.rulesWithOneApprover(workspace, "clinic.yaml", """
                    policies:
                      - role: records
                        allow: [jdbc:patients:select, jdbc:claims:select]
                    actors:
                      records-bot: [records]
                    tiers:
                      T2: [jdbc:claims:select]
                    approvals:
                      approvers: approvers/
                      T2: {approvers: 1}
                    """);
            Files.writeString(rules.resolve("clinic.drl"), """
                    package rules.clinic;
                    import dev.warden.rules.Action;
                    global dev.warden.rules.Verdict verdict;

                    rule "a read of patients waits for a manager"
                    when Action(surface == "jdbc", targetsWithin("patients"))
                    then verdict.hold("patient records need a manager's approval");
                    end

                    rule "patient data comes two rows at a time"
                    when Action(surface == "jdbc", targetsWithin("patients", "claims"))
                    then verdict.oblige("at most two rows").maxRows(2);
                    end

                    rule "the records bot reads patient data without ssn"
                    when Action(surface == "jdbc", operation == "SELECT", targetsWithin("patients", "claims"), actor == "records-bot")
                    then verdict.permit("patient data without ssn").redact("ssn");
                    end
                    """);
            return rules;
        }
    }

    /**
     * What sits where a decision or the log's public key goes is read only when it is a file of a key's or a decision's
     * size. Found by an eighth review (2026-12-07): whoever can write the receipts directory put a FIFO among a held
     * {@code DELETE}'s decisions, beside approver a1's approval; the gate read it whole when the delete was retried, and
     * the host's thread waited inside the decision for good (the delete neither ran nor was refused, and nothing was
     * recorded), {@code approvals list} never returned, and neither did it when the receipts directory's
     * {@code public-key.pem}, which it reads without {@code --public-key}, was a FIFO. Rows counted in the database.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AFifoWhereADecisionOrTheLogsKeyGoes {

        /** How long a command or host may take before it is taken to wait for good: the e2e hosts' own bound. */
        private static final long BOUND_SECONDS = HostJvm.defaultTimeoutSeconds();

        private Receipts shop;
        private String request;
        private ApproverCli.Result approved;
        private ApproverCli.Result listed;
        private ApproverCli.Result listedByTheDirectorysKey;
        private HostJvm.Result retried;
        private String retryFailure;
        private long ordersLeft;

        @BeforeAll
        void holdADeleteApproveItPlantFifosThenRetryIt(@TempDir Path temporary) throws Exception {
            shop = Receipts.in(temporary);
            Path shopRules = shopWithThreeOrders(temporary);
            String shopUrl = shopUrl(temporary);
            HostJvm shopHost = HostJvm.withAgent(shop.agentArguments()).with("rules=" + shopRules).with("surfaces=jdbc")
                    .with("actor=orders-bot");
            request = ApproverCli.awaited(shopHost.run(JdbcHost.class, List.of(shopUrl, "sa", "", DELETE_ONE)), 0);
            ApproverCli approver = new ApproverCli(shop, temporary.resolve("keys"));
            approved = approver.approve(request, "a1");

            // Whoever can write the receipts directory: a FIFO where approver a2's decision would go, and a directory of
            // requests whose public-key.pem is one.
            mkfifo(shop.directory().resolve("approvals/decisions/" + request + "/a2.json"));
            Path elsewhere = Files.createDirectories(temporary.resolve("elsewhere/approvals/requests")).getParent().getParent();
            mkfifo(elsewhere.resolve("public-key.pem"));

            listed = ApproverCli.within(BOUND_SECONDS, HostJvm.agentCli("approvals", "list", "--receipts",
                    shop.directory().toString(), "--public-key", shop.publicKey().toString()));
            listedByTheDirectorysKey = ApproverCli.within(BOUND_SECONDS, HostJvm.agentCli("approvals", "list", "--receipts",
                    elsewhere.toString()));
            try {
                retried = shopHost.run(JdbcHost.class, List.of(shopUrl, "sa", "", DELETE_ONE));
            } catch (AssertionError hung) {
                retryFailure = hung.getMessage(); // a host killed while it waited may still hold the database: not counted
                return;
            }
            try (Connection db = DriverManager.getConnection(shopUrl, "sa", "")) {
                ordersLeft = DirectSql.count(db, "SELECT count(*) FROM orders");
            }
        }

        @Test
        void theApproversListShowsTheFifoAsNoDecisionAndTheApprovalAsCounted() {
            assertThat(approved.exitCode()).as(approved.output()).isZero();
            assertThat(listed).as("approvals list returned within " + BOUND_SECONDS + " s").isNotNull();
            assertThat(listed.exitCode()).as(listed.output()).isZero();
            assertThat(listed.output()).contains(request + "  T2  pending  1/1 approvals", "    approve by a1",
                    "    unreadable decision a2.json: a2.json is not a regular file (a FIFO, device or socket): not read");
        }

        @Test
        void aFifoForTheLogsKeyIsAnErrorNotAWaitWithoutEnd() {
            assertThat(listedByTheDirectorysKey).as("approvals list returned within " + BOUND_SECONDS + " s").isNotNull();
            assertThat(listedByTheDirectorysKey.exitCode()).as(listedByTheDirectorysKey.output()).isEqualTo(2);
            assertThat(listedByTheDirectorysKey.output())
                    .contains("error: public-key.pem is not a regular file (a FIFO, device or socket): not read");
        }

        @Test
        void theApprovedDeleteRunsOnceTheFifoIgnoredAndTheVerifierAcceptsTheLog() throws Exception {
            assertThat(retryFailure).as("the retried delete returned").isNull();
            assertThat(retried.step(0)).as(retried.toString()).startsWith("OK step=0 ");
            assertThat(ordersLeft).as("order 1 deleted, 2 and 3 left").isEqualTo(2);
            List<Receipt> deletes = shop.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
            assertThat(deletes).extracting(Receipt::outcome).containsExactly("HOLD", "PERMIT");
            assertThat(deletes.get(1).summary()).containsEntry("approval.request", request)
                    .containsEntry("approval.status", "approved")
                    .hasEntrySatisfying("approval.ignored", ignored -> assertThat(ignored).contains("a2.json", "FIFO"));
            assertThat(deletes.get(1).approvals()).extracting(ApprovalCitation::approver).containsExactly("a1");
            Receipts.Verification verification = shop.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }

        private void mkfifo(Path fifo) throws Exception {
            Files.createDirectories(fifo.getParent());
            ApproverCli.Result made = ApproverCli.exec(List.of("mkfifo", fifo.toString()));
            if (made.exitCode() != 0) {
                throw new AssertionError(made.output());
            }
        }
    }

    /**
     * A hold that opens an approval request is recorded in full, also inside a burst of identical refusals. Found by a
     * thirteenth review (2026-12-08): a hold counts as a refusal, and the fourth identical one within the refusal window
     * is counted, not written. When the retried delete's first request was rejected, the next retry opened a second
     * request inside the same burst: the gate published it, signed, for the approvers, but no receipt of it was written
     * (its hold was counted). Approved, it ran the delete under a permit citing a request no receipt opened, and the
     * verifier rejected the honest log ("which no earlier HOLD receipt opened"). A row deleted, counted by the test.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AHoldThatOpensARequestIsWrittenInFullInsideARefusalBurst {

        private static final String DELETE_FIRST = "update:DELETE FROM orders WHERE id = 1";

        private Receipts shop;
        private final List<String> lines = new ArrayList<>();
        private String rejected;
        private String reopened;
        private ApproverCli.Result rejection;
        private ApproverCli.Result listed;
        private ApproverCli.Result approval;
        private long ordersLeft;

        @BeforeAll
        void retryADeleteRejectItsRequestThenApproveTheNextOneWhileTheBurstGoesOn(@TempDir Path temporary) throws Exception {
            shop = Receipts.in(temporary);
            Path shopRules = shopWithThreeOrders(temporary);
            String shopUrl = shopUrl(temporary);
            ApproverCli approver = new ApproverCli(shop, temporary.resolve("keys"));
            // A window of a minute: every retry below is in one burst however slowly the approvers' commands start.
            HostJvm.Running host = HostJvm.withAgent(shop.agentArguments()).with("rules=" + shopRules).with("surfaces=jdbc")
                    .with("actor=orders-bot").with("refusal-window=60000").errorsTo(temporary.resolve("host.err"))
                    .start(JdbcHost.class, List.of(shopUrl, "sa", "", DELETE_FIRST, DELETE_FIRST, DELETE_FIRST, DELETE_FIRST,
                            "await-line:-", DELETE_FIRST, DELETE_FIRST, "await-line:-", DELETE_FIRST));
            try {
                lines.addAll(host.awaitLines("OK step=4 waiting"));
                rejected = awaited(lines.get(0));
                rejection = approver.reject(rejected, "a1", "not now");
                go(host);
                lines.addAll(host.awaitLines("OK step=7 waiting"));
                reopened = awaited(lines.get(lines.size() - 2));
                listed = approver.list();
                approval = approver.approve(reopened, "a1");
                go(host);
                lines.addAll(host.awaitLines("DONE"));
                if (!host.process().waitFor(HostJvm.defaultTimeoutSeconds(), TimeUnit.SECONDS) || host.process().exitValue() != 0) {
                    throw new AssertionError("the host did not exit cleanly: " + lines);
                }
            } finally {
                host.killHard();
            }
            try (Connection db = DriverManager.getConnection(shopUrl, "sa", "")) {
                ordersLeft = DirectSql.count(db, "SELECT count(*) FROM orders");
            }
        }

        @Test
        void theSecondRequestWasApprovedAndItsDeleteRan() {
            assertThat(rejection.exitCode()).as(rejection.output()).isZero();
            assertThat(reopened).as(lines.toString()).isNotEqualTo(rejected);
            assertThat(listed.output()).contains(reopened + "  T2  pending  0/1 approvals");
            assertThat(approval.exitCode()).as(approval.output()).isZero();
            assertThat(lines).as(lines.toString()).anySatisfy(line -> assertThat(line).startsWith("OK step=8 updated=1"));
            assertThat(ordersLeft).as("order 1 deleted").isEqualTo(2);
        }

        @Test
        void everyRequestTheGatePublishedHasTheHoldReceiptThatOpenedIt() throws Exception {
            List<Receipt> deletes = shop.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
            for (String request : List.of(rejected, reopened)) {
                assertThat(deletes).as("the hold that opened " + request).anySatisfy(hold -> {
                    assertThat(hold.id()).isEqualTo(request);
                    assertThat(hold.outcome()).isEqualTo("HOLD");
                    assertThat(hold.summary()).containsEntry("approval.request", request);
                });
            }
            assertThat(deletes).filteredOn(receipt -> receipt.outcome().equals("PERMIT")).singleElement()
                    .satisfies(permit -> assertThat(permit.summary()).containsEntry("approval.request", reopened));
        }

        @Test
        void theVerifierAcceptsTheLogOfThisHonestRun() {
            Receipts.Verification verification = shop.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }

        private static String awaited(String line) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("awaiting approval ([0-9a-f-]{36})").matcher(line);
            if (!matcher.find()) {
                throw new AssertionError("awaits no approval: " + line);
            }
            return matcher.group(1);
        }

        private static void go(HostJvm.Running host) throws java.io.IOException {
            host.process().getOutputStream().write("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            host.process().getOutputStream().flush();
        }
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

    /** A shop's rules and database: a clerk may delete orders, each delete held as T2 for one approver; three orders. */
    private static Path shopWithThreeOrders(Path temporary) throws Exception {
        Path rules = ApproverCli.rulesWithOneApprover(temporary, "orders.yaml", """
                policies:
                  - role: clerk
                    allow: [jdbc:orders:delete]
                actors:
                  orders-bot: [clerk]
                tiers:
                  T2: [jdbc:orders:delete]
                approvals:
                  approvers: approvers/
                  T2: {approvers: 1}
                """);
        try (Connection db = DriverManager.getConnection(shopUrl(temporary), "sa", "")) {
            DirectSql.run(db, "CREATE TABLE orders (id INT PRIMARY KEY, amount INT)",
                    "INSERT INTO orders VALUES (1, 10), (2, 20), (3, 30)");
        }
        return rules;
    }

    private static String shopUrl(Path temporary) {
        return "jdbc:h2:file:" + temporary.resolve("shop") + ";DB_CLOSE_DELAY=0";
    }
}
