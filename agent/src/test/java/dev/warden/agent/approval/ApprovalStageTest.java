package dev.warden.agent.approval;

import dev.warden.agent.config.Mode;
import dev.warden.agent.config.StateLocation;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.History;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.context.RedisKeys;
import dev.warden.agent.context.RedisStateStore;
import dev.warden.agent.control.Operator;
import dev.warden.agent.control.Switchboard;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.PolicySnapshot;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.RequestSigner;
import dev.warden.receipts.SignedApproval;
import dev.warden.receipts.SigningKey;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The approval stage through the real engine, a compiled policy and a receipt log, on a clock the test moves. */
class ApprovalStageTest {

    private static final String RULES = """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "tools are permitted"
            when Action(surface == "tool")
            then verdict.permit("permitted");
            end
            """;

    private static final String POLICY = """
            tiers:
              T2: [tool:invoice:delete]
              T3: [tool:invoice:delete:all]
            approvals:
              approvers: approvers/
              T2: {approvers: 1, within: 1h}
              T3: {approvers: 2, within: 24h}
            """;

    @TempDir
    Path tmp;

    private final Clock clock = new Moving(Instant.parse("2026-12-01T10:00:00Z"));
    private final Map<String, SigningKey> keys = new TreeMap<>();
    private final Map<String, byte[]> files = new TreeMap<>();
    private ReceiptLog log;
    private Path receipts;
    /** The engine's policy and the operator's switches, which the tests change while a call waits. */
    private PolicyHolder policy;
    private Switchboard switches;

    @BeforeEach
    void approvers() throws Exception {
        files.put("test.drl", RULES.getBytes(StandardCharsets.UTF_8));
        files.put("policy.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        for (String name : List.of("a1", "a2")) {
            keys.put(name, Ed25519Keys.generate(tmp.resolve(name + ".pem"), tmp.resolve(name + ".pub.pem")));
            files.put("approvers/" + name + ".pem", Files.readAllBytes(tmp.resolve(name + ".pub.pem")));
        }
        // The same key as a1's under another name: a second file is not a second approver.
        files.put("approvers/a1-again.pem", files.get("approvers/a1.pem"));
        keys.put("a1-again", keys.get("a1"));
        receipts = tmp.resolve("receipts");
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void aHeldCallWithHoldWaitProceedsWhenItsApprovalArrivesInTime() throws Exception {
        ApprovalStore store = new FileApprovalStore(new ApprovalsArea(receipts), RequestSigner.UNSIGNED);
        WardenEngine engine = engine(store, Duration.ofMinutes(5));
        CompletableFuture<Decision> held = CompletableFuture.supplyAsync(() -> engine.decide(delete(7)));
        ApprovalRequest request = awaitRequest(store);
        new ApprovalsArea(receipts).deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null));
        Decision decision = held.get(60, TimeUnit.SECONDS);
        assertThat(decision.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(decision.reason()).contains("approved by a1 (request " + request.id() + ")");
        List<Receipt> all = ReceiptReader.receipts(receipts);
        assertThat(all).extracting(Receipt::outcome).containsExactly("HOLD", "PERMIT", "PERMIT");
        assertThat(all.get(1).id()).isEqualTo(decision.receiptId());
        assertThat(all.get(1).approvals()).hasSize(1);
        assertThat(all.get(2).surface()).isEqualTo("approval");
    }

    /** Found by a review (2026-12-06): a held model call approved while it waited never settled its budget to what it used. */
    @Test
    void aModelCallApprovedWhileItWaitsSettlesItsBudgetToWhatItUsed() throws Exception {
        files.put("model.drl", (RULES.replace("package rules.test;", "package rules.model;")
                .replace("rule \"tools are permitted\"", "rule \"each model call waits for a person\"")
                .replace("when Action(surface == \"tool\")", "when Action(surface == \"model\")")
                .replace("verdict.permit(\"permitted\")", "verdict.hold(\"a person approves each model call\")"))
                .getBytes(StandardCharsets.UTF_8));
        files.put("budget.yaml", "budgets:\n  - name: session-tokens\n    per: session\n    tokens: 10000\n".getBytes(StandardCharsets.UTF_8));
        ApprovalStore store = new FileApprovalStore(new ApprovalsArea(receipts), RequestSigner.UNSIGNED);
        WardenEngine engine = engine(store, Duration.ofMinutes(5));
        CompletableFuture<Decision> held = CompletableFuture.supplyAsync(() -> engine.decide(chat(6_000)));
        ApprovalRequest request = awaitRequest(store);
        new ApprovalsArea(receipts).deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null));
        Decision ran = held.get(60, TimeUnit.SECONDS);
        assertThat(ran.outcome()).isEqualTo(Outcome.PERMIT);

        engine.observe(ran.receiptId(), "model", "usage", Map.of("usage.input", 100L, "usage.output", 0L, "session", "s4"));
        // Settled, the next call fits (110 + 6,010) and is held in its turn; unsettled (6,010 + 6,010) its budget refuses it.
        CompletableFuture<Decision> next = CompletableFuture.supplyAsync(() -> engine.decide(chat(6_000)));
        ApprovalsArea area = new ApprovalsArea(receipts);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (area.requestIds().size() < 2 && !next.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        ((Moving) clock).advance(Duration.ofMinutes(6));
        assertThat(next.get(60, TimeUnit.SECONDS).outcome()).as(next.get().reason()).isEqualTo(Outcome.HOLD);
    }

    /**
     * Obligations of a held action bind the permit its approval makes of it, whether a rule or a tier held it. Found by a
     * sixth review (2026-12-07): a hold carried none, so an approved read ran unmasked what the rules mask when they permit.
     */
    @Test
    void anActionApprovedOnItsRetryRunsUnderTheRulesObligations() throws Exception {
        files.put("masking.drl", OBLIGING.getBytes(StandardCharsets.UTF_8));
        ApprovalsArea area = new ApprovalsArea(receipts);
        WardenEngine engine = engine(new FileApprovalStore(area, RequestSigner.UNSIGNED), Duration.ZERO);
        for (ActionRequest action : List.of(export("globex"), delete(7))) {
            Decision held = engine.decide(action);
            ApprovalRequest request = area.readRequest(held.receiptId()).request();
            assertHeldUnderObligations(held, request);
            area.deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null));
            assertRanUnderObligations(engine.decide(action));
        }
    }

    @Test
    void anActionApprovedWhileItWaitsRunsUnderTheRulesObligations() throws Exception {
        files.put("masking.drl", OBLIGING.getBytes(StandardCharsets.UTF_8));
        ApprovalStore store = new FileApprovalStore(new ApprovalsArea(receipts), RequestSigner.UNSIGNED);
        WardenEngine engine = engine(store, Duration.ofMinutes(5));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ActionRequest action : List.of(export("globex"), delete(7))) {
            CompletableFuture<Decision> waiting = CompletableFuture.supplyAsync(() -> engine.decide(action));
            ApprovalRequest request = awaitRequest(store, seen);
            seen.add(request.id());
            assertThat(request.summary()).containsEntry(ApprovalStage.OBLIGATIONS, "maxRows=3, redact=iban");
            new ApprovalsArea(receipts).deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null));
            assertRanUnderObligations(waiting.get(60, TimeUnit.SECONDS));
        }
        assertThat(ReceiptReader.receipts(receipts)).filteredOn(r -> r.outcome().equals("HOLD")).hasSize(2)
                .allSatisfy(held -> assertThat(held.obligations()).containsEntry("maxRows", "3"));
    }

    /** Held: the obligations are recorded and shown to approvers, and bind nothing, as nothing runs. */
    private void assertHeldUnderObligations(Decision held, ApprovalRequest request) throws Exception {
        assertThat(held.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(held.blocks()).isTrue();
        assertThat(held.enforcedObligations()).isEqualTo(dev.warden.bootstrap.Obligations.NONE);
        assertThat(request.summary()).containsEntry(ApprovalStage.OBLIGATIONS, "maxRows=3, redact=iban");
        assertThat(receipt(held.receiptId()).obligations()).containsEntry("maxRows", "3").containsEntry("redact", "iban");
    }

    private void assertRanUnderObligations(Decision ran) throws Exception {
        assertThat(ran.outcome()).as(ran.reason()).isEqualTo(Outcome.PERMIT);
        assertThat(ran.reason()).contains("approved by a1");
        assertThat(ran.enforcedObligations().maxRows()).isEqualTo(3);
        assertThat(ran.enforcedObligations().redact()).containsExactly("iban");
        assertThat(receipt(ran.receiptId()).obligations()).containsEntry("maxRows", "3").containsEntry("redact", "iban");
        assertThat(receipt(ran.receiptId()).approvals()).hasSize(1);
    }

    private Receipt receipt(String id) throws Exception {
        return ReceiptReader.receipts(receipts).stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** Exports are held by a rule (no tier); deletes (T2) by their tier; both are capped and redacted when they run. */
    private static final String OBLIGING = """
            package rules.masking;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "exports are held"
            when Action(surface == "tool", operation == "invoice_export")
            then verdict.hold("an export needs a manager");
            end

            rule "exports and deletes are capped"
            when Action(surface == "tool", operation in ("invoice_export", "invoice_delete"))
            then verdict.oblige("at most 3 rows").maxRows(3);
            end

            rule "tools show no iban"
            when Action(surface == "tool")
            then verdict.permit("tools without iban").redact("iban").maxRows(100);
            end
            """;

    private static ActionRequest export(String customer) {
        return new ActionRequest("tool", "invoice_export", "invoice_export", Map.of("arg.customer", customer, "session", "s4"));
    }

    private static ActionRequest chat(long bound) {
        return new ActionRequest("model", "chat", "gpt-4o", Map.of("model.name", "gpt-4o", "model.input.estimate", bound / 4,
                "model.input.bound", bound, "model.maxOutput", 10L, "session", "s4"));
    }

    @Test
    void aHeldCallStopsWaitingWhenTheGatesClockPassesTheWait() throws Exception {
        ApprovalStore store = new FileApprovalStore(new ApprovalsArea(receipts), RequestSigner.UNSIGNED);
        WardenEngine engine = engine(store, Duration.ofMinutes(5));
        CompletableFuture<Decision> held = CompletableFuture.supplyAsync(() -> engine.decide(delete(7)));
        awaitRequest(store);
        ((Moving) clock).advance(Duration.ofMinutes(6));
        Decision decision = held.get(60, TimeUnit.SECONDS);
        assertThat(decision.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(decision.reason()).startsWith("awaiting approval " + decision.receiptId());
    }

    /**
     * Found by a sixth review (2026-12-07): a call waiting for its approval ran once approved, after the operator's kill
     * switch. The kill now ends the wait (no approval, no clock moved), refuses the call with the kill's rule, and leaves
     * the request pending: its approval, delivered after, runs nothing while the surface is killed, and the same action
     * retried once revived uses it.
     */
    @Test
    void aKillSwitchEndsTheWaitOfAHeldCallWhoseApprovalThenRunsNothingUntilRevived() throws Exception {
        ApprovalStore store = new FileApprovalStore(new ApprovalsArea(receipts), RequestSigner.UNSIGNED);
        WardenEngine engine = engine(store, Duration.ofMinutes(5));
        CompletableFuture<Decision> held = CompletableFuture.supplyAsync(() -> engine.decide(delete(7)));
        ApprovalRequest request = awaitRequest(store);
        switches.kill("tool", "incident 42", Operator.jmx("test"));
        Decision killed = held.get(60, TimeUnit.SECONDS);
        assertThat(killed.outcome()).isEqualTo(Outcome.DENY);
        assertThat(killed.enforced()).isTrue();
        assertThat(killed.rules()).containsExactly(Switchboard.KILL_RULE);
        assertThat(killed.reason()).isEqualTo("kill switch: incident 42 (while the call waited for approval " + request.id() + ")");

        new ApprovalsArea(receipts).deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null));
        assertThat(engine.decide(delete(7)).rules()).as("still killed").containsExactly(Switchboard.KILL_RULE);
        switches.revive("tool", Operator.jmx("test"));
        Decision retried = engine.decide(delete(7));
        assertThat(retried.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(retried.reason()).contains("approved by a1 (request " + request.id() + ")");

        // The kill applies, wakes the waiting call, then is recorded: the two receipts come in either order.
        List<Receipt> all = ReceiptReader.receipts(receipts);
        assertThat(all).filteredOn(r -> !r.surface().equals("warden")).extracting(r -> r.surface() + " " + r.outcome() + " " + r.rules())
                .containsExactly("tool HOLD [approval:T2]", "tool DENY [warden.kill-switch]", "tool DENY [warden.kill-switch]",
                        "tool PERMIT [tools are permitted, approval:T2]", "approval PERMIT [warden.approval]");
        assertThat(all).filteredOn(r -> r.surface().equals("warden")).extracting(r -> r.summary().get("switch"))
                .containsExactly("kill", "revive");
        Receipt refusal = all.stream().filter(r -> r.id().equals(killed.receiptId())).findFirst().orElseThrow();
        assertThat(refusal.summary()).containsEntry("approval.request", request.id()).containsEntry("approval.status", "pending");
        assertThat(refusal.approvals()).as("no approval used").isEmpty();
    }

    /**
     * Found by a sixth review (2026-12-07): the wait kept the policy and approver keys of its hold, so a reload that
     * removed a compromised approver's key let that approver's approval run the waiting call. A switch of the policy now
     * ends the wait (the call stays held) and the retry is decided under the policy in force, whose keys do not count a1.
     */
    @Test
    void aPolicySwitchedWhileACallWaitsEndsTheWaitAndTheRetryIsDecidedUnderTheNewPolicy() throws Exception {
        ApprovalStore store = new FileApprovalStore(new ApprovalsArea(receipts), RequestSigner.UNSIGNED);
        WardenEngine engine = engine(store, Duration.ofMinutes(5));
        String before = policy.version();
        CompletableFuture<Decision> held = CompletableFuture.supplyAsync(() -> engine.decide(delete(7)));
        ApprovalRequest request = awaitRequest(store);
        Map<String, byte[]> withoutA1 = new TreeMap<>(files);
        withoutA1.remove("approvers/a1.pem");
        withoutA1.remove("approvers/a1-again.pem");
        Ed25519Keys.generate(tmp.resolve("a3.pem"), tmp.resolve("a3.pub.pem")); // T3 still has two approvers
        withoutA1.put("approvers/a3.pem", Files.readAllBytes(tmp.resolve("a3.pub.pem")));
        PolicyBundle next = PolicyBundle.of(withoutA1);
        assertThat(policy.switchTo(policy.current(), PolicySnapshot.of(next, policy.compiler().compile(next)))).isTrue();
        Decision ended = held.get(60, TimeUnit.SECONDS);
        assertThat(ended.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(ended.rules()).containsExactly("approval:T2");
        assertThat(ended.reason()).isEqualTo("policy " + before + " was switched to " + next.version()
                + " while the call waited for approval " + request.id() + ": a retry is decided under " + next.version());

        new ApprovalsArea(receipts).deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null));
        // The retry is held under the same request, and waits for approvers of the policy in force: a1 is none.
        CompletableFuture<Decision> retried = CompletableFuture.supplyAsync(() -> engine.decide(delete(7)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ReceiptReader.receipts(receipts).size() < 3 && !retried.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        ((Moving) clock).advance(Duration.ofMinutes(6));
        assertThat(retried.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.HOLD);
        List<Receipt> all = ReceiptReader.receipts(receipts);
        assertThat(all).extracting(r -> r.outcome() + " " + r.policyVersion())
                .containsExactly("HOLD " + before, "HOLD " + next.version(), "HOLD " + next.version());
        assertThat(all.get(1).summary()).containsEntry("approval.request", request.id()).containsEntry("approval.status", "pending");
        assertThat(all.get(2).summary()).containsEntry("approval.request", request.id())
                .containsEntry("approval.ignored", "a1: not an approver of this policy");
    }

    @Test
    void oneKeyUnderTwoNamesIsOneApprover() throws Exception {
        ApprovalsArea area = new ApprovalsArea(receipts);
        WardenEngine engine = engine(new FileApprovalStore(area, RequestSigner.UNSIGNED), Duration.ZERO);
        Decision first = engine.decide(deleteAll("globex"));
        ApprovalRequest request = area.readRequest(first.receiptId()).request();
        area.deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null));
        area.deliver(SignedApproval.sign(request.statement("approve"), "a1-again", keys.get("a1-again"), null));
        Decision again = engine.decide(deleteAll("globex"));
        assertThat(again.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(again.reason()).startsWith("awaiting approval " + request.id() + " (2 distinct approvers, 1 so far");
        area.deliver(SignedApproval.sign(request.statement("approve"), "a2", keys.get("a2"), null));
        assertThat(engine.decide(deleteAll("globex")).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(ReceiptReader.receipts(receipts).get(1).summary().get("approval.ignored"))
                .contains("the same approver (key) again");
    }

    @Test
    void twoGatesSharingRedisUseOneRequestsApprovalsOnce() throws Exception {
        StateLocation location = StateLocation.parse("redis://127.0.0.1:6379");
        String prefix = "warden-test:" + java.util.UUID.randomUUID() + ":";
        try (RedisStateStore first = new RedisStateStore(location, Duration.ofSeconds(2), prefix, clock::millis);
             RedisStateStore second = new RedisStateStore(location, Duration.ofSeconds(2), prefix, clock::millis)) {
            RedisApprovalStore one = new RedisApprovalStore(first, clock, RequestSigner.UNSIGNED);
            RedisApprovalStore two = new RedisApprovalStore(second, clock, RequestSigner.UNSIGNED);
            WardenEngine engine = engine(one, Duration.ZERO);
            Decision held = engine.decide(delete(7));
            ApprovalRequest request = two.request(held.receiptId());
            assertThat(request.needs()).isEqualTo(1);
            assertThat(two.pending(ApprovalStage.key(request), clock.instant()).id()).isEqualTo(request.id());
            assertThat(two.deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null))).isTrue();
            assertThat(two.deliver(SignedApproval.sign(request.statement("reject"), "a1", keys.get("a1"), null)))
                    .as("an approver decides once").isFalse();
            List<CompletableFuture<Boolean>> racers = List.of(
                    CompletableFuture.supplyAsync(() -> one.close(request, "approved")),
                    CompletableFuture.supplyAsync(() -> two.close(request, "approved")));
            assertThat(racers.stream().map(CompletableFuture::join).filter(Boolean::booleanValue)).hasSize(1);
            assertThat(one.pending(ApprovalStage.key(request), clock.instant())).as("closed for every JVM").isNull();
        } finally {
            RedisKeys.delete(location, prefix);
        }
    }

    /** Found by a review (2026-12-06): a request rewritten in the shared store to need nobody let its action run. */
    @Test
    void aRequestRewrittenInTheSharedStoreNeedsWhatThePolicyAsks() throws Exception {
        StateLocation location = StateLocation.parse("redis://127.0.0.1:6379");
        String prefix = "warden-test:" + java.util.UUID.randomUUID() + ":";
        try (RedisStateStore redis = new RedisStateStore(location, Duration.ofSeconds(2), prefix, clock::millis)) {
            RedisApprovalStore store = new RedisApprovalStore(redis, clock, RequestSigner.UNSIGNED);
            WardenEngine engine = engine(store, Duration.ZERO);
            ApprovalRequest held = store.request(engine.decide(deleteAll("globex")).receiptId());
            store.open(new ApprovalRequest(held.id(), held.time(), held.expires(), held.digest(), held.tier(), 0, held.approvers(),
                    held.policyVersion(), held.actor(), held.onBehalfOf(), held.session(), held.surface(), held.operation(),
                    held.target(), held.summary(), held.reason()));

            assertThat(engine.decide(deleteAll("globex")).reason()).startsWith("awaiting approval " + held.id() + " (2 distinct approvers, 0 so far");
            store.deliver(SignedApproval.sign(held.statement("approve"), "a1", keys.get("a1"), null));
            assertThat(engine.decide(deleteAll("globex")).outcome()).isEqualTo(Outcome.HOLD);
            store.deliver(SignedApproval.sign(held.statement("approve"), "a2", keys.get("a2"), null));
            assertThat(engine.decide(deleteAll("globex")).outcome()).isEqualTo(Outcome.PERMIT);
        } finally {
            RedisKeys.delete(location, prefix);
        }
    }

    /**
     * Found by an eleventh review (2026-12-07): a retry found its request, held as needing what the policy asks, then
     * waited ({@code hold-wait}) counting only what the request named: the request rewritten to need nobody ran the
     * delete with no approval at all, and one opened when the policy asked for fewer ran on fewer.
     */
    @Test
    void aRetryThatWaitsNeedsWhatThePolicyAsksNotWhatItsRequestNames() throws Exception {
        StateLocation location = StateLocation.parse("redis://127.0.0.1:6379");
        String prefix = "warden-test:" + java.util.UUID.randomUUID() + ":";
        try (RedisStateStore redis = new RedisStateStore(location, Duration.ofSeconds(2), prefix, clock::millis)) {
            RedisApprovalStore store = new RedisApprovalStore(redis, clock, RequestSigner.UNSIGNED);
            WardenEngine engine = engine(store, Duration.ofMinutes(5));
            CompletableFuture<Decision> first = CompletableFuture.supplyAsync(() -> engine.decide(deleteAll("globex")));
            awaitReceipts(1, first);
            ((Moving) clock).advance(Duration.ofMinutes(6));
            ApprovalRequest held = store.request(first.get(60, TimeUnit.SECONDS).receiptId());
            store.open(new ApprovalRequest(held.id(), held.time(), held.expires(), held.digest(), held.tier(), 0, held.approvers(),
                    held.policyVersion(), held.actor(), held.onBehalfOf(), held.session(), held.surface(), held.operation(),
                    held.target(), held.summary(), held.reason()));

            CompletableFuture<Decision> retried = CompletableFuture.supplyAsync(() -> engine.decide(deleteAll("globex")));
            awaitReceipts(2, retried);
            ((Moving) clock).advance(Duration.ofMinutes(6));
            assertThat(retried.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.HOLD);
            assertThat(ReceiptReader.receipts(receipts)).extracting(Receipt::outcome).containsExactly("HOLD", "HOLD");
        } finally {
            RedisKeys.delete(location, prefix);
        }
    }

    /**
     * Found by an eleventh review (2026-12-07): a request opened under T2 (one approver), retried with a wait after the
     * policy moved its action to T3 (two approvers), ran on a1's approval alone.
     */
    @Test
    void aRetryThatWaitsAfterThePolicyMovedItsActionToATierOfTwoNeedsTwo() throws Exception {
        ApprovalStore store = new FileApprovalStore(new ApprovalsArea(receipts), RequestSigner.UNSIGNED);
        WardenEngine engine = engine(store, Duration.ofMinutes(5));
        CompletableFuture<Decision> held = CompletableFuture.supplyAsync(() -> engine.decide(delete(7)));
        ApprovalRequest request = awaitRequest(store);
        Map<String, byte[]> moved = new TreeMap<>(files);
        moved.put("policy.yaml", POLICY.replace("T3: [tool:invoice:delete:all]", "T3: [tool:invoice:delete:all, tool:invoice:delete]")
                .replace("T2: [tool:invoice:delete]", "T2: [tool:invoice:update]").getBytes(StandardCharsets.UTF_8));
        PolicyBundle next = PolicyBundle.of(moved);
        assertThat(policy.switchTo(policy.current(), PolicySnapshot.of(next, policy.compiler().compile(next)))).isTrue();
        assertThat(held.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.HOLD);

        new ApprovalsArea(receipts).deliver(SignedApproval.sign(request.statement("approve"), "a1", keys.get("a1"), null));
        CompletableFuture<Decision> retried = CompletableFuture.supplyAsync(() -> engine.decide(delete(7)));
        awaitReceipts(3, retried);
        ((Moving) clock).advance(Duration.ofMinutes(6));
        assertThat(retried.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.HOLD);
        List<Receipt> all = ReceiptReader.receipts(receipts);
        assertThat(all).extracting(Receipt::outcome).containsExactly("HOLD", "HOLD", "HOLD");
        assertThat(all.get(2).summary()).containsEntry("approval.request", request.id()).containsEntry("approval.needs", "2")
                .containsEntry("approval.have", "1");
    }

    /** Until the log holds {@code count} receipts, or {@code call} is done: a waiting call has written its hold. */
    private void awaitReceipts(int count, CompletableFuture<Decision> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ReceiptReader.receipts(receipts).size() < count && !call.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aSharedClosedMarkOutlivesItsRequestHoweverLongTheRequestWaits() throws Exception {
        StateLocation location = StateLocation.parse("redis://127.0.0.1:6379");
        String prefix = "warden-test:" + java.util.UUID.randomUUID() + ":";
        try (RedisStateStore redis = new RedisStateStore(location, Duration.ofSeconds(2), prefix, clock::millis)) {
            RedisApprovalStore store = new RedisApprovalStore(redis, clock, RequestSigner.UNSIGNED);
            Instant expires = clock.instant().plus(Duration.ofDays(200)); // within: up to a year
            ApprovalRequest request = new ApprovalRequest("01940000-0000-7000-8000-00000000000a", clock.instant(), expires,
                    "ab".repeat(32), 2, 1, new TreeMap<>(), null, "agent", null, "s4", "tool", "invoice_delete", "invoice_delete",
                    new TreeMap<>(), "tier T2 needs 1 approver within 200d");
            store.open(request);
            assertThat(store.close(request, "approved")).isTrue();
            assertThat(store.closedMarkMillis(request.id())).as("kept from the request's expiry on, not from the close")
                    .isGreaterThan(Duration.ofDays(200 + 13).toMillis());
            assertThat(store.pending(ApprovalStage.key(request), clock.instant().plus(Duration.ofDays(199)))).isNull();
        } finally {
            RedisKeys.delete(location, prefix);
        }
    }

    @Test
    void anApprovalThatExpiresAfterItsRequestIsIgnored() throws Exception {
        ApprovalsArea area = new ApprovalsArea(receipts);
        WardenEngine engine = engine(new FileApprovalStore(area, RequestSigner.UNSIGNED), Duration.ZERO);
        Decision held = engine.decide(delete(7));
        ApprovalRequest request = area.readRequest(held.receiptId()).request();
        ApprovalStatement longer = new ApprovalStatement(request.id(), request.digest(), "approve", request.expires().plusSeconds(3600));
        area.deliver(SignedApproval.sign(longer, "a1", keys.get("a1"), null));
        assertThat(engine.decide(delete(7)).outcome()).isEqualTo(Outcome.HOLD);
        ((Moving) clock).advance(Duration.ofMinutes(61));
        Decision later = engine.decide(delete(7));
        assertThat(later.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(later.reason()).as("the request expired: a new one").doesNotContain(request.id());
        assertThat(ReceiptReader.receipts(receipts).get(1).summary().get("approval.ignored")).contains("a1: expires after its request does");
    }

    private ApprovalRequest awaitRequest(ApprovalStore store) throws Exception {
        return awaitRequest(store, java.util.Set.of());
    }

    /** The first request published that is not one of {@code seen}. */
    private ApprovalRequest awaitRequest(ApprovalStore store, java.util.Set<String> seen) throws Exception {
        ApprovalsArea area = new ApprovalsArea(receipts);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (store instanceof FileApprovalStore) {
                for (String id : area.requestIds()) {
                    if (!seen.contains(id)) {
                        return area.readRequest(id).request();
                    }
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no request was published");
    }

    private WardenEngine engine(ApprovalStore store, Duration holdWait) throws Exception {
        WardenThreads threads = new WardenThreads(null);
        policy = PolicyHolder.compileInBackground(PolicyBundle.of(files), Duration.ofMinutes(2), threads);
        policy.await();
        log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts).withThreadFactory(threads));
        InProcessStateStore state = new InProcessStateStore(clock::millis);
        ContextStage context = new ContextStage(state, History.NONE, clock::millis);
        ReceiptRecorder recorder = ReceiptRecorder.writingTo(log);
        switches = Switchboard.live(Mode.ENFORCE, recorder, java.util.Set.of("tool", "model"), policy::version, clock);
        return new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, recorder, switches, true,
                context, new ApprovalStage(store, context, clock), holdWait, clock);
    }

    private static ActionRequest delete(long id) {
        return new ActionRequest("tool", "invoice_delete", "invoice_delete", Map.of("arg.id", id, "session", "s4"));
    }

    private static ActionRequest deleteAll(String customer) {
        return new ActionRequest("tool", "invoice_delete_all", "invoice_delete_all", Map.of("arg.customer", customer, "session", "s4"));
    }

    static final class Moving extends Clock {
        private volatile Instant now;

        Moving(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
