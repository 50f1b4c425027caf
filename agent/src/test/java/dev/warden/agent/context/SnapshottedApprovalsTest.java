package dev.warden.agent.context;

import dev.warden.agent.approval.ApprovalStage;
import dev.warden.agent.approval.ApprovalsArea;
import dev.warden.agent.approval.FileApprovalStore;
import dev.warden.agent.config.Mode;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The approval stage's memory across restarts from the state snapshot: the counted tiers' counts, the requests still
 * open and those whose approvals were used come back from the snapshot, as a replay of the whole log would rebuild
 * them. Real engine, compiled policy, receipt log, approvals area and cache directory; a clock the test moves.
 */
class SnapshottedApprovalsTest {

    private static final String POLICY = """
            tiers:
              T1: [tool:invoice:update]
              T2: [tool:invoice:delete]
            approvals:
              approvers: approvers/
              T1: {after: 2, per: actor, window: 1d, approvers: 1}
              T2: {approvers: 1, within: 1h}
            """;

    @TempDir
    Path tmp;

    private final StatefulDecisionsTest.MovableClock clock = new StatefulDecisionsTest.MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Map<String, byte[]> files = new TreeMap<>();
    private final List<Integer> replayed = new ArrayList<>();
    private SigningKey a1;
    private Path cache;
    private PolicyHolder policy;
    private ReceiptLog log;

    @BeforeEach
    void policyWithOneApprover() throws Exception {
        files.put("test.drl", StatefulDecisionsTest.RULES.getBytes(StandardCharsets.UTF_8)); // everything is permitted
        files.put("policy.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        a1 = Ed25519Keys.generate(tmp.resolve("a1.pem"), tmp.resolve("a1.pub.pem"));
        files.put("approvers/a1.pem", Files.readAllBytes(tmp.resolve("a1.pub.pem")));
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void close() {
        stop();
    }

    @Test
    void aStartFromTheSnapshotKnowsTheTierCountsTheOpenRequestsAndTheUsedApprovalsAsAWholeReplayWould() throws Exception {
        Path receipts = tmp.resolve("receipts");
        // Run 1, six receipts: two counted updates (the tier's count), delete 7 held, approved and run (its approval used,
        // recorded), delete 8 held.
        WardenEngine first = start(receipts, snapshotted(receipts));
        permitted(first, update(1), update(2));
        Decision held7 = first.decide(delete(7));
        assertThat(held7.outcome()).isEqualTo(Outcome.HOLD);
        approve(receipts, held7.receiptId());
        assertThat(first.decide(delete(7)).outcome()).as("approved").isEqualTo(Outcome.PERMIT);
        Decision held8 = first.decide(delete(8));
        assertThat(held8.outcome()).isEqualTo(Outcome.HOLD);
        stop();
        // Run 2: its start replays run 1 and keeps the snapshot; a keeper's pass brings it past run 2's action.
        permitted(start(receipts, snapshotted(receipts)), read(1));
        stop();
        StateKeeper.pass(receipts, cache, clock::millis, policy.current().state(),
                FileApprovalStore.replayedApart(() -> policy.current().approvals()));
        Path control = tmp.resolve("control");
        copy(receipts, control);

        List<String> fromSnapshot = thirdRun(start(receipts, snapshotted(receipts)), receipts, held7.receiptId(), held8.receiptId());
        stop();
        assertThat(replayed).as("run 1 at run 2's start; nothing after the keeper's pass at run 3's").containsExactly(0, 6, 0);
        List<String> wholeLog = thirdRun(start(control, store -> new ReceiptHistory(control)), control, held7.receiptId(),
                held8.receiptId());

        assertThat(fromSnapshot).isEqualTo(wholeLog).containsExactly(
                "update 3: HOLD new request (beyond the tier's count of 2)",
                "delete 7: HOLD new request (the approval of the first was used)",
                "delete 8: HOLD awaiting the first request for 8",
                "delete 8 approved: PERMIT with the first request for 8");
    }

    @Test
    void aLogThatCannotBeReplayedRefusesWhatNeedsTheApprovalsMemoryAndLetsTheRestRun() throws Exception {
        WardenEngine engine = start(tmp.resolve("receipts"), store -> each -> {
            throw new IllegalStateException("receipt 7 is not canonical");
        });
        permitted(engine, read(1)); // no state rules and no tier: nothing the log says is needed
        for (ActionRequest tiered : List.of(update(1), delete(7))) {
            Decision refused = engine.decide(tiered);
            assertThat(refused.outcome()).isEqualTo(Outcome.DENY);
            assertThat(refused.reason()).isEqualTo("the approvals could not be rebuilt from the receipt log: receipt 7 is not canonical");
        }
    }

    /** Run 3: what each decision says of the requests of run 1. */
    private List<String> thirdRun(WardenEngine engine, Path receipts, String request7, String request8) throws Exception {
        List<String> said = new ArrayList<>();
        Function<Decision, String> which = decision -> decision.reason().contains(request8) ? "the first request for 8"
                : decision.reason().contains(request7) ? "the first request for 7" : "new request";
        Decision third = engine.decide(update(3));
        said.add("update 3: " + third.outcome() + " " + which.apply(third) + " (beyond the tier's count of 2)");
        Decision seven = engine.decide(delete(7));
        said.add("delete 7: " + seven.outcome() + " " + which.apply(seven) + " (the approval of the first was used)");
        Decision eight = engine.decide(delete(8));
        said.add("delete 8: " + eight.outcome() + (eight.outcome() == Outcome.HOLD ? " awaiting " : " ") + which.apply(eight));
        approve(receipts, request8);
        Decision approved = engine.decide(delete(8));
        said.add("delete 8 approved: " + approved.outcome() + " with " + which.apply(approved));
        return said;
    }

    private WardenEngine start(Path receipts, Function<InProcessStateStore, History> history) throws Exception {
        WardenThreads threads = new WardenThreads(null);
        policy = PolicyHolder.compileInBackground(PolicyBundle.of(files), Duration.ofMinutes(2), threads);
        policy.await();
        log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts).withThreadFactory(threads));
        InProcessStateStore store = new InProcessStateStore(clock::millis);
        FileApprovalStore approvals = new FileApprovalStore(new ApprovalsArea(receipts), dev.warden.receipts.RequestSigner.UNSIGNED);
        PolicyHolder compiled = policy;
        ContextStage context = new ContextStage(store, history.apply(store), clock::millis,
                approvals.replayedHere(() -> compiled.current().approvals()));
        return new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, ReceiptRecorder.writingTo(log), Mode.ENFORCE, true,
                context, new ApprovalStage(approvals, context, clock), Duration.ZERO, clock);
    }

    /** The snapshotted log as history, counting what it hands over at each start in {@link #replayed}. */
    private Function<InProcessStateStore, History> snapshotted(Path receipts) {
        return store -> new CountingHistory(new SnapshottedHistory(receipts, store, cache, clock::millis), replayed);
    }

    private void stop() {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    private void approve(Path receipts, String requestId) throws Exception {
        ApprovalsArea area = new ApprovalsArea(receipts);
        ApprovalRequest request = area.readRequest(requestId).request();
        area.deliver(SignedApproval.sign(request.statement("approve"), "a1", a1, null));
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static void permitted(WardenEngine engine, ActionRequest... requests) {
        for (ActionRequest request : requests) {
            Decision decision = engine.decide(request);
            assertThat(decision.outcome()).as(decision.reason()).isEqualTo(Outcome.PERMIT);
        }
    }

    private static ActionRequest update(long id) {
        return new ActionRequest("tool", "invoice_update", "invoice_update", Map.of("arg.id", id, "session", "s1"));
    }

    private static ActionRequest delete(long id) {
        return new ActionRequest("tool", "invoice_delete", "invoice_delete", Map.of("arg.id", id, "session", "s1"));
    }

    private static ActionRequest read(long id) {
        return new ActionRequest("tool", "invoice_read", "invoice_read", Map.of("arg.id", id, "session", "s1"));
    }
}
