package dev.warden.agent.context;

import dev.warden.agent.config.Mode;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.WardenContext;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decisions in context, through the real engine, a compiled policy and a receipt log: the policy's
 * limits, loops, chains and budgets (written as SCENARIOS.md writes them) decide together with the
 * rules, on a clock the test moves.
 */
class StatefulDecisionsTest {

    /** Rules over the actions these tests and {@link SnapshottedRestartsTest}'s make: customers are pii, all is permitted. */
    static final String RULES = """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "customers are pii" salience 10
            when $a : Action(surface == "jdbc", targets contains "customers", !hasLabel("pii"))
            then modify($a) { label("pii") }
            end

            rule "everything is permitted"
            when Action()
            then verdict.permit("permitted");
            end

            rule "a rule that reads the past"
            when $a : Action(operation == "PEEK", stateNumber("limit.ops-per-minute.count") == 2)
            then verdict.permit("peeked");
            end
            """;

    static final String STATE = """
            pricing:                       # per million tokens
              gpt-4o: {input: 2.50, output: 10.00, max-output: 4096}
              default: {input: 1.00, output: 1.00, max-output: 1024}
            budgets:
              - name: daily-spend
                per: session               # actor | session | user
                cost: 50.00
                window: 1d                 # calendar day in the policy's time zone (UTC unless `zone:` says)
              - name: session-tokens
                per: session
                tokens: 50000000
            limits:
              - name: ops-per-minute
                per: actor
                max: 100
                window: 1m
                scopes: ["**"]             # optional: which actions count (default: all)
            loops:
              - name: same-call
                max: 5
                within: 60s
            chains:
              - name: no-egress-after-pii
                after: [label:pii]         # once the session did an action carrying any of these labels...
                deny: [http:*:post, tool:email:send:external]    # ...these scopes are refused for the rest of it
            """;

    @TempDir
    Path receipts;

    private ReceiptLog log;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void theHundredAndFirstOperationInAMinuteIsRefusedWithTheCountAndTheWindowForgetsIt() throws Exception {
        WardenEngine engine = engine(STATE);
        for (int i = 0; i < 100; i++) {
            assertThat(engine.decide(get("/item/" + (i % 50), "agent-a", "s-" + i)).outcome()).isEqualTo(Outcome.PERMIT);
        }
        Decision refused = engine.decide(get("/item/x", "agent-a", "s-x"));
        assertThat(refused.outcome()).isEqualTo(Outcome.DENY);
        assertThat(refused.rules()).containsExactly("limit:ops-per-minute");
        assertThat(refused.reason()).isEqualTo("limit ops-per-minute: 101 > 100 in 1m for actor agent-a");
        assertThat(engine.decide(get("/item/x", "agent-b", "s-x")).outcome()).as("another actor").isEqualTo(Outcome.PERMIT);

        clock.advance(Duration.ofSeconds(62));
        assertThat(engine.decide(get("/item/x", "agent-a", "s-y")).outcome()).isEqualTo(Outcome.PERMIT);

        Receipt last = receipts().get(receipts().size() - 1);
        assertThat(last.draft().summary()).containsEntry("state.limits", "ops-per-minute 1 of 100 in 1m");
        Receipt denied = receipts().stream().filter(r -> r.draft().outcome().equals("DENY")).findFirst().orElseThrow();
        assertThat(denied.draft().summary()).containsEntry("state.limits", "ops-per-minute 101 of 100 in 1m (refused)");
    }

    @Test
    void anActionRefusedForAnotherReasonGivesItsUnitOfTheLimitBack() throws Exception {
        WardenEngine engine = engine(STATE.replace("max: 100", "max: 3"));
        assertThat(engine.decide(select("t")).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(post("t")).rules()).containsExactly("chain:no-egress-after-pii");
        assertThat(engine.decide(post("t")).rules()).containsExactly("chain:no-egress-after-pii");
        assertThat(engine.decide(get("/one", "agent", "t")).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(get("/two", "agent", "t")).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(get("/three", "agent", "t")).rules()).containsExactly("limit:ops-per-minute");
    }

    /**
     * A clock put back (set right after running fast) reads buckets older than those the counters hold: they still
     * count, live and after a restart that replays receipts newer than the clock, and a unit given back goes back to
     * the bucket it was taken from. Put back by a whole ring of buckets (62 s of a minute's window), what is added
     * does not land in the slot of the newer bucket either.
     */
    @Test
    void aClockPutBackStartsNoWindowAgain() throws Exception {
        WardenEngine engine = engine(STATE.replace("max: 100", "max: 3"));
        for (int i = 0; i < 3; i++) {
            assertThat(engine.decide(get("/item/" + i, "agent-a", "s-" + i)).outcome()).isEqualTo(Outcome.PERMIT);
        }
        clock.advance(Duration.ofSeconds(-62));
        Decision refused = engine.decide(get("/item/x", "agent-a", "s-x"));
        assertThat(refused.rules()).containsExactly("limit:ops-per-minute");
        assertThat(refused.reason()).isEqualTo("limit ops-per-minute: 4 > 3 in 1m for actor agent-a");
        clock.advance(Duration.ofSeconds(-600));
        assertThat(engine.decide(get("/item/y", "agent-a", "s-y")).rules()).containsExactly("limit:ops-per-minute");

        log.close();
        log = null;
        WardenEngine after = engine(STATE.replace("max: 100", "max: 3"), new ReceiptHistory(receipts));
        assertThat(after.decide(get("/item/z", "agent-a", "s-z")).rules()).as("replayed, newer than the clock")
                .containsExactly("limit:ops-per-minute");

        clock.advance(Duration.ofSeconds(662 + 62));
        assertThat(after.decide(get("/item/z", "agent-a", "s-z")).outcome()).as("once the clock passed the window")
                .isEqualTo(Outcome.PERMIT);
    }

    @Test
    void aUnitGivenBackUnderAClockPutBackReturnsToTheBucketItWasTakenFrom() {
        InProcessStateStore store = new InProcessStateStore(() -> 0L);
        dev.warden.rules.state.Window minute = dev.warden.rules.state.Window.parse("1m");
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        assertThat(store.acquire("k", minute.span(now, ZoneOffset.UTC), 2, 3).granted()).isTrue();
        dev.warden.rules.state.Window.Span behind = minute.span(now.minusSeconds(62), ZoneOffset.UTC);
        StateStore.Acquisition taken = store.acquire("k", behind, 1, 3);
        assertThat(taken.granted()).isTrue();
        assertThat(taken.bucket()).as("the newest bucket, not the clock's").isEqualTo(minute.span(now, ZoneOffset.UTC).current());
        assertThat(store.acquire("k", behind, 1, 3).granted()).isFalse();
        store.adjust("k", taken.bucket(), behind.expiresAtMillis(), -1);
        assertThat(store.total("k", behind)).isEqualTo(2);
        assertThat(store.total("k", minute.span(now, ZoneOffset.UTC))).isEqualTo(2);
    }

    /**
     * A label a chain follows is held before its action runs: a store that cannot hold it (Redis down, or slower than
     * its timeout) refuses the action, naming the store, rather than let it run and forget its label. Before, the label
     * was written once the action ran, a failure was a warning, and the session could post afterwards.
     */
    @Test
    void anActionWhoseLabelAChainFollowsIsRefusedWhenTheStoreCannotHoldIt() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        StateStore answering = store(clock::millis);
        WardenEngine engine = engine(STATE.substring(STATE.indexOf("chains:")), History.NONE, new Unanswering(answering, down));

        Decision read = engine.decide(select("t"));
        assertThat(read.rules()).containsExactly(Decision.FAIL_CLOSED_RULE);
        assertThat(read.reason()).isEqualTo("state store " + answering.describe() + " could not answer: down");
        down.set(false);
        assertThat(engine.decide(post("t")).outcome()).as("no customer data was read").isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(select("t")).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(post("t")).rules()).containsExactly("chain:no-egress-after-pii");
        assertThat(engine.decide(get("/x", "agent", "t")).outcome()).as("no chain follows a GET").isEqualTo(Outcome.PERMIT);
    }

    /**
     * A store keeps a session at most 64 labels. Before, a label past them was dropped unseen: a session that ran actions
     * with 64 other labels (a rule may label by what an action names) then read customers, and its POST went out.
     */
    @Test
    void aSessionWithMoreLabelsThanTheStoreKeepsIsTakenToCarryEveryLabelAChainFollows() throws Exception {
        StateStore store = store(clock::millis);
        WardenEngine engine = engine(STATE.substring(STATE.indexOf("chains:")), History.NONE, store);
        List<String> others = java.util.stream.IntStream.range(0, 64).mapToObj(i -> "table-" + i).toList();
        store.addLabels("session:full", others);
        store.addLabels("session:roomy", others.subList(1, 64));

        assertThat(engine.decide(post("full")).outcome()).as("no label a chain follows yet").isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(select("full")).outcome()).isEqualTo(Outcome.PERMIT);
        Decision post = engine.decide(post("full"));
        assertThat(post.rules()).containsExactly("chain:no-egress-after-pii");
        assertThat(post.reason()).contains("more labels than Warden keeps a session (64), so it is taken to carry pii");
        assertThat(engine.decide(select("roomy")).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(post("roomy")).reason()).as("the 64th label is kept")
                .contains("session roomy earlier ran an action labelled pii");
    }

    /** A store that answers nothing while {@code down}, as a Redis that stopped. */
    private record Unanswering(StateStore store, java.util.concurrent.atomic.AtomicBoolean down) implements StateStore {
        private void answer() {
            if (down.get()) {
                throw new StateStoreException("down", null);
            }
        }

        @Override
        public Acquisition acquire(String key, dev.warden.rules.state.Window.Span span, long amount, long max) {
            answer();
            return store.acquire(key, span, amount, max);
        }

        @Override
        public void adjust(String key, long bucket, long expiresAtMillis, long delta) {
            answer();
            store.adjust(key, bucket, expiresAtMillis, delta);
        }

        @Override
        public long total(String key, dev.warden.rules.state.Window.Span span) {
            answer();
            return store.total(key, span);
        }

        @Override
        public java.util.Set<String> labels(String session) {
            answer();
            return store.labels(session);
        }

        @Override
        public void addLabels(String session, java.util.Collection<String> labels) {
            answer();
            store.addLabels(session, labels);
        }

        @Override
        public void holdLabels(String session, java.util.Collection<String> labels, String actionId) {
            answer();
            store.holdLabels(session, labels, actionId);
        }

        @Override
        public void settleLabels(String session, java.util.Collection<String> labels, String actionId, boolean proceeded) {
            answer();
            store.settleLabels(session, labels, actionId, proceeded);
        }

        @Override
        public String describe() {
            return store.describe();
        }

        @Override
        public boolean sharedAcrossProcesses() {
            return store.sharedAcrossProcesses();
        }
    }

    @Test
    void theSixthIdenticalCallInASessionIsRefusedAndOnlyThatCall() throws Exception {
        WardenEngine engine = engine(STATE);
        for (int i = 0; i < 5; i++) {
            assertThat(engine.decide(get("/same", "agent", "s1")).outcome()).isEqualTo(Outcome.PERMIT);
        }
        Decision sixth = engine.decide(get("/same", "agent", "s1"));
        assertThat(sixth.outcome()).isEqualTo(Outcome.DENY);
        assertThat(sixth.rules()).containsExactly("loop:same-call");
        assertThat(sixth.reason()).contains("the same http GET 6 times in 60s (at most 5) in session s1");
        assertThat(engine.decide(get("/other", "agent", "s1")).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(get("/same", "agent", "s2")).outcome()).as("another session").isEqualTo(Outcome.PERMIT);
        clock.advance(Duration.ofSeconds(62));
        assertThat(engine.decide(get("/same", "agent", "s1")).outcome()).isEqualTo(Outcome.PERMIT);
    }

    @Test
    void afterAPiiReadASessionMayNotPostAnywhereButAnotherSessionMay() throws Exception {
        WardenEngine engine = engine(STATE);
        assertThat(engine.decide(post("tainted")).outcome()).as("before the read").isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(select("tainted")).outcome()).isEqualTo(Outcome.PERMIT);

        Decision post = engine.decide(post("tainted"));
        assertThat(post.outcome()).isEqualTo(Outcome.DENY);
        assertThat(post.rules()).containsExactly("chain:no-egress-after-pii");
        assertThat(post.reason()).contains("session tainted earlier ran an action labelled pii");
        assertThat(engine.decide(post("clean")).outcome()).isEqualTo(Outcome.PERMIT);
    }

    @Test
    void aModelCallThatWouldOverspendTheDayIsRefusedShowingTheArithmetic() throws Exception {
        WardenEngine engine = engine(STATE);
        // 4,993,000 output tokens of gpt-4o at 10.00 per million: 49.93.
        Decision big = engine.decide(chat("s3", 100, 1024));
        engine.observe(big.receiptId(), "model", "usage", usage("s3", 0, 4_993_000));
        // 28,000 estimated input tokens at 2.50 and 5,000 maximum output at 10.00: 0.07 + 0.05 = 0.12.
        Decision next = engine.decide(chat("s3", 28_000, 5_000));

        assertThat(next.outcome()).isEqualTo(Outcome.DENY);
        assertThat(next.rules()).containsExactly("budget:daily-spend");
        assertThat(next.reason()).isEqualTo("budget daily-spend: 49.93 + 0.12 > 50.00 today for session s3");
        assertThat(engine.decide(chat("s3", 100, 100)).outcome()).as("a cheaper call fits").isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(chat("other", 28_000, 5_000)).outcome()).as("another session").isEqualTo(Outcome.PERMIT);

        clock.advance(Duration.ofHours(15)); // the next calendar day in UTC
        assertThat(engine.decide(chat("s3", 28_000, 5_000)).outcome()).isEqualTo(Outcome.PERMIT);
    }

    /** A batch that names no maximum output sends its price's max-output for each request, and reserves it so. */
    @Test
    void aBatchWithoutAMaximumOutputReservesThePricesMaximumForEachRequest() throws Exception {
        WardenEngine engine = engine(STATE.replace("tokens: 50000000", "tokens: 10000"));
        Map<String, Object> attributes = new HashMap<>(chat("batches", 100, 0).attributes());
        attributes.put("model.batch.size", 3L);
        ActionRequest batch = new ActionRequest("model", "chat", "gpt-4o", attributes);

        Decision refused = engine.decide(batch);

        assertThat(refused.outcome()).isEqualTo(Outcome.DENY);
        assertThat(refused.reason()).as("100 input, then 3 x 4096 output").isEqualTo("budget session-tokens: 0 + 12388 > 10000 in total for session batches");
        attributes.put("model.batch.size", 2L);
        assertThat(engine.decide(new ActionRequest("model", "chat", "gpt-4o", attributes)).outcome()).isEqualTo(Outcome.PERMIT);
    }

    /**
     * Found by the eighth review, closed by the ninth (2026-12-07): what a budget reserves for a call's output is its
     * permit's cap on the request ({@code maxOutput}), and an unpriced token budget reserves what it has left, so that
     * no provider writes past the reservation. A batch is not capped (its requests each name their own).
     */
    @Test
    void whatABudgetReservesForTheOutputIsThePermitsCapOnTheRequest() throws Exception {
        WardenEngine priced = engine(STATE);
        assertThat(priced.decide(chat("capped", 100, 0)).enforcedObligations().maxOutputTokens()).as("the price's max-output").isEqualTo(4096);
        assertThat(priced.decide(chat("capped", 100, 700)).enforcedObligations().maxOutputTokens()).as("the request's own").isEqualTo(700);
    }

    @Test
    void anUnpricedTokenBudgetReservesWhatItHasLeftAndCapsTheRequestThere() throws Exception {
        WardenEngine unpriced = engine("""
                budgets:
                  - name: session-tokens
                    per: session
                    tokens: 3000
                """);
        Decision first = unpriced.decide(chat("left", 100, 0));
        assertThat(first.enforcedObligations().maxOutputTokens()).as("all the budget has left after the input").isEqualTo(2900);
        assertThat(unpriced.decide(chat("left", 100, 0)).outcome()).as("nothing left while it runs").isEqualTo(Outcome.DENY);
        unpriced.observe(first.receiptId(), "model", "usage", usage("left", 100, 900));
        assertThat(unpriced.decide(chat("left", 100, 0)).enforcedObligations().maxOutputTokens()).as("what it left").isEqualTo(1900);
    }

    /**
     * Found by a review (2026-12-06): eight concurrent calls of text at one token per character reserved a quarter of
     * what each cost, and together spent 180 % of a token budget. A call alone reserves its estimate; one that joins
     * calls still in flight reserves its input's bound.
     */
    @Test
    void callsInFlightTogetherReserveTheMostTheirInputCanCost() throws Exception {
        WardenEngine engine = engine(STATE.replace("tokens: 50000000", "tokens: 10000"));
        List<Decision> running = new java.util.ArrayList<>();
        for (int call = 0; call < 8; call++) { // none has reported yet: they are all in flight
            running.add(engine.decide(cjk("s2")));
        }

        assertThat(running).extracting(Decision::outcome).containsExactly(Outcome.PERMIT, Outcome.PERMIT, Outcome.DENY,
                Outcome.DENY, Outcome.DENY, Outcome.DENY, Outcome.DENY, Outcome.DENY);
        assertThat(running.get(2).reason()).as("500 + 256 alone, then 6000 + 256 beside it")
                .isEqualTo("budget session-tokens: 7012 + 6256 > 10000 in total for session s2");
        engine.observe(running.get(0).receiptId(), "model", "usage", usage("s2", 2_000, 256));
        engine.observe(running.get(1).receiptId(), "model", "usage", usage("s2", 2_000, 256));
        assertThat(engine.decide(cjk("s2")).outcome()).as("alone again, with 4512 spent").isEqualTo(Outcome.PERMIT);
    }

    @Test
    void aRestartForgetsNothingTheReceiptLogHolds() throws Exception {
        WardenEngine before = engine(STATE);
        Decision big = before.decide(chat("s3", 100, 1024));
        before.observe(big.receiptId(), "model", "usage", usage("s3", 0, 4_993_000));
        before.decide(select("tainted"));
        for (int i = 0; i < 5; i++) {
            before.decide(get("/same", "agent", "looping"));
        }
        log.close();
        log = null;

        WardenEngine after = engine(STATE, new ReceiptHistory(receipts));
        Decision next = after.decide(chat("s3", 28_000, 5_000));
        assertThat(next.reason()).isEqualTo("budget daily-spend: 49.93 + 0.12 > 50.00 today for session s3");
        assertThat(after.decide(post("tainted")).rules()).containsExactly("chain:no-egress-after-pii");
        assertThat(after.decide(get("/same", "agent", "looping")).rules()).containsExactly("loop:same-call");
        assertThat(after.decide(get("/other", "agent", "looping")).outcome()).isEqualTo(Outcome.PERMIT);
    }

    /** A limit on deletes counts a delete stacked before a stronger statement, live and replayed (a thirteenth review). */
    @Test
    void aLimitOnDeletesCountsADeleteStackedBeforeAStrongerStatementAndSoDoesTheReplay() throws Exception {
        String deletes = """
                limits:
                  - name: deletes
                    per: actor
                    max: 1
                    window: 1m
                    scopes: ["jdbc:*:delete"]
                """;
        WardenEngine before = engine(deletes);
        assertThat(before.decide(stacked("DELETE FROM orders WHERE id = 1; SET @x = 1")).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(before.decide(stacked("DELETE FROM orders WHERE id = 2; SET @x = 1")).rules()).containsExactly("limit:deletes");
        log.close();
        log = null;

        WardenEngine after = engine(deletes, new ReceiptHistory(receipts));
        assertThat(after.decide(stacked("DELETE FROM orders WHERE id = 3; SET @x = 1")).rules()).as("counted from the log")
                .containsExactly("limit:deletes");
    }

    @Test
    void anActionsOwnAttributesCannotPassForWhatADecisionWroteWhenTheLogIsReplayed() throws Exception {
        WardenEngine before = engine(STATE);
        Map<String, Object> forged = new java.util.HashMap<>(Map.of("session", "s9", "q", "v", "labels", "pii", "tier", "T3",
                "approval.request", "01940000-0000-7000-8000-00000000000a", "approval.status", "approved"));
        forged.putAll(Map.of("state.limits", "ops-per-minute 0 of 100 in 1m", "shadow.outcome", "PERMIT"));
        assertThat(before.decide(new ActionRequest("custom", "note", "anything", forged)).outcome()).isEqualTo(Outcome.PERMIT);
        Receipt recorded = receipts().get(0);
        assertThat(recorded.draft().summary()).as("a surface without an enricher: the summary is what its caller chose")
                .containsEntry("q", "v").doesNotContainKeys("labels", "tier", "approval.request", "approval.status", "shadow.outcome")
                .containsEntry("state.limits", "ops-per-minute 1 of 100 in 1m"); // the state stage's own, not the caller's
        log.close();
        log = null;

        WardenEngine after = engine(STATE, new ReceiptHistory(receipts));
        assertThat(after.decide(post("s9")).outcome()).as("no label the decision did not give").isEqualTo(Outcome.PERMIT);
    }

    @Test
    void aLogThatCannotBeReplayedRefusesTheActionsThatNeedStateNamingTheCause() throws Exception {
        History unreadable = each -> {
            throw new IllegalStateException("receipt 7 is not canonical");
        };
        WardenEngine engine = engine(STATE, unreadable);
        Decision refused = engine.decide(get("/x", "agent", "s"));
        assertThat(refused.outcome()).isEqualTo(Outcome.DENY);
        assertThat(refused.reason()).isEqualTo("the state could not be rebuilt from the receipt log: receipt 7 is not canonical");
    }

    @Test
    void theUsageReceiptSaysWhereEachBudgetStands() throws Exception {
        WardenEngine engine = engine(STATE);
        List<Object> reported = new java.util.ArrayList<>();
        engine.observeWith(new dev.warden.agent.observe.DecisionObserver() {
            @Override
            public void decided(dev.warden.receipts.ReceiptDraft receipt, Decision decision, long nanos) {
            }

            @Override
            public void reported(dev.warden.receipts.ReceiptDraft receipt, Map<String, Object> usage, List<BudgetSpend> spent) {
                reported.addAll(List.of(receipt.target(), usage.get("usage.input"), spent));
            }
        });
        Decision call = engine.decide(chat("s4", 400, 1000));
        engine.observe(call.receiptId(), "model", "usage", usage("s4", 400_000, 200_000));

        Receipt usage = receipts().stream().filter(r -> r.draft().operation().equals("usage")).findFirst().orElseThrow();
        assertThat(usage.draft().summary().get("state.budgets"))
                .isEqualTo("daily-spend 3.00 spent of 50.00 today (this call 3.00); session-tokens 600000 spent of 50000000 in total (this call 600000)");
        // What telemetry is told: the call it reports on, its tokens, and what it spent of each budget.
        assertThat(reported).containsExactly(call.receiptId(), 400_000L, List.of(new BudgetSpend("daily-spend", 3.0, "currency"),
                new BudgetSpend("session-tokens", 600_000, "token")));
    }

    /**
     * Found by a sixth review (2026-12-07): a streaming model reports its usage from the provider's own thread, whose
     * identity is not the call's, and the report was recorded for that thread: its receipt named no session, and the
     * session's token count never grew.
     */
    @Test
    void aUsageReportCountsForTheIdentityItsCallWasDecidedForWhoeverReportsIt() throws Exception {
        WardenEngine engine = engine(STATE);
        Decision call = engine.decide(chat("writer", "s9", 400, 1000));
        try (WardenContext.Scope provider = WardenContext.actAs("provider", null, "elsewhere")) {
            engine.observe(call.receiptId(), "model", "usage", Map.of("usage.input", 300L, "usage.output", 20L));
        }
        engine.observe(call.receiptId(), "model", "usage", usage("s9", 1L, 1L)); // a second report of the same call

        List<Receipt> reports = receipts().stream().filter(r -> r.draft().operation().equals("usage")).toList();
        assertThat(reports).as("one report per call").hasSize(1);
        assertThat(reports.get(0).draft().actor()).isEqualTo("writer");
        assertThat(reports.get(0).draft().session()).isEqualTo("s9");
        assertThat(reports.get(0).draft().summary()).containsEntry("usage.session.total", "320").containsEntry("usage.actor.total", "320");
        Decision elsewhere = engine.decide(chat("provider", "elsewhere", 10, 10));
        engine.observe(elsewhere.receiptId(), "model", "usage", usage("elsewhere", 4L, 1L));
        assertThat(receipts().stream().filter(r -> r.draft().target().equals(elsewhere.receiptId())).findFirst().orElseThrow()
                .draft().summary()).as("the reporting thread's session and actor counted nothing of it")
                .containsEntry("usage.session.total", "5").containsEntry("usage.actor.total", "5");
    }

    /**
     * Found by a tenth review (2026-12-07): a provider writes input, output and total tokens independently, and budgets
     * read the parts while {@code usage.*.total} read the total, so whichever a provider wrote low, one of them let the
     * session go on; a report of no number released the whole reservation. Now each counts the larger of the total and
     * the parts (the excess as output), and a report of no number keeps what was reserved.
     */
    @Test
    void aUsageReportCountsTheLargerOfItsTotalAndItsParts() throws Exception {
        WardenEngine engine = engine(STATE);
        Decision lowTotal = engine.decide(chat("t1", 400, 1000));
        engine.observe(lowTotal.receiptId(), "model", "usage", Map.of("usage.input", 400_000L, "usage.output", 200_000L, "usage.total", 1L));
        Decision lowParts = engine.decide(chat("t2", 400, 1000));
        engine.observe(lowParts.receiptId(), "model", "usage", Map.of("usage.input", 0L, "usage.output", 0L, "usage.total", 600_000L));
        Decision silent = engine.decide(chat("t3", 400, 1000));
        engine.observe(silent.receiptId(), "model", "usage", Map.of());

        Map<String, String> first = usageReceipt(lowTotal).summary();
        assertThat(first).containsEntry("usage.session.total", "600000").containsEntry("usage.total", "1");
        assertThat(first.get("state.budgets")).contains("session-tokens 600000 spent", "daily-spend 3.00 spent");
        Map<String, String> second = usageReceipt(lowParts).summary();
        assertThat(second).containsEntry("usage.session.total", "600000");
        // 600,000 output tokens at 10.00 a million: the total beyond the parts is priced as output.
        assertThat(second.get("state.budgets")).contains("session-tokens 600000 spent", "daily-spend 6.00 spent");
        // Reserved: 400 input at 2.50 and 1000 output at 10.00 a million, 0.011; kept, as for a call that never reports.
        assertThat(usageReceipt(silent).summary().get("state.budgets")).contains("session-tokens 1400 spent", "daily-spend 0.011 spent");

        log.close();
        log = null;
        WardenEngine replayed = engine(STATE, new ReceiptHistory(receipts));
        Decision next = replayed.decide(chat("t2", 400, 1000));
        replayed.observe(next.receiptId(), "model", "usage", usage("t2", 0, 0));
        assertThat(usageReceipt(next).summary().get("state.budgets")).as("a replay counts a report as it was counted")
                .contains("session-tokens 600000 spent", "daily-spend 6.00 spent");
    }

    private dev.warden.receipts.ReceiptDraft usageReceipt(Decision call) throws Exception {
        return receipts().stream().filter(r -> r.draft().operation().equals("usage") && r.draft().target().equals(call.receiptId()))
                .findFirst().orElseThrow().draft();
    }

    @Test
    void theStateRulesApplyToRecalledRulingsToo() throws Exception {
        WardenEngine engine = engine(STATE.replace("max: 5", "max: 500"));
        ActionRequest identical = get("/poll", "poller", "p");
        for (int i = 0; i < 100; i++) {
            assertThat(engine.decide(identical).outcome()).isEqualTo(Outcome.PERMIT);
        }
        assertThat(engine.decide(identical).rules()).containsExactly("limit:ops-per-minute");
    }

    @Test
    void rulesReadThePastThroughState() throws Exception {
        WardenEngine engine = engine(STATE);
        engine.decide(get("/x", "peeker", "p"));
        engine.decide(get("/y", "peeker", "p"));
        Decision peek = engine.decide(new ActionRequest("http", "PEEK", "api", Map.of("actor", "peeker", "session", "p")));
        assertThat(peek.rules()).contains("a rule that reads the past");
    }

    @Test
    void sixtyFourThreadsAndAThousandSessionsRacingOneLimitAndOneBudgetGetExactlyTheLimit() throws Exception {
        WardenEngine engine = engine(STATE.replace("max: 100", "max: 500").replace("[\"**\"]", "[\"http:**\"]")
                .replace("per: session               # actor | session | user", "per: actor"));
        ExecutorService threads = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger permittedOps = new AtomicInteger();
        AtomicInteger permittedCalls = new AtomicInteger();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            int thread = t;
            work.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 40; i++) {
                    String session = "race-" + ((thread * 40 + i) % 1000);
                    if (engine.decide(get("/race/" + thread + "/" + i, "racer", session)).outcome() == Outcome.PERMIT) {
                        permittedOps.incrementAndGet();
                    }
                    // 0.10 each (36,000 input tokens at 2.50, 1,000 output at 10.00) against 50.00: 500 fit.
                    if (engine.decide(chat("spender", session, 36_000, 1_000)).outcome() == Outcome.PERMIT) {
                        permittedCalls.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> done : work) {
            done.get();
        }
        threads.shutdown();
        assertThat(permittedOps).hasValue(500);
        assertThat(permittedCalls).hasValue(500);
    }

    WardenEngine engine(String state) throws Exception {
        return engine(state, History.NONE);
    }

    private WardenEngine engine(String state, History history) throws Exception {
        return engine(state, history, store(clock::millis));
    }

    private WardenEngine engine(String state, History history, StateStore store) throws Exception {
        WardenThreads threads = new WardenThreads(null);
        PolicyBundle bundle = PolicyBundle.of(Map.of("test.drl", RULES.getBytes(StandardCharsets.UTF_8),
                "state.yaml", state.getBytes(StandardCharsets.UTF_8)));
        PolicyHolder policy = PolicyHolder.compileInBackground(bundle, Duration.ofMinutes(2), threads);
        policy.await();
        log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts).withThreadFactory(threads));
        return new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, ReceiptRecorder.writingTo(log),
                Mode.ENFORCE, true, new ContextStage(store, history, clock::millis), clock);
    }

    /** The store under test; the windows are computed with {@code millis}. */
    StateStore store(java.util.function.LongSupplier millis) {
        return new InProcessStateStore(millis);
    }

    private List<Receipt> receipts() throws Exception {
        return ReceiptReader.receipts(receipts);
    }

    private static ActionRequest get(String path, String actor, String session) {
        return new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", path, "actor", actor, "session", session));
    }

    private static ActionRequest post(String session) {
        return new ActionRequest("http", "POST", "paste.example.com", Map.of("url.path", "/upload", "session", session));
    }

    /** A string of two statements as the SQL reading describes it: the operation of the strongest ({@code SET} is DDL). */
    private static ActionRequest stacked(String sql) {
        return new ActionRequest("jdbc", "DDL", "orders", Map.of("sql", sql, "sql.statements", 2L));
    }

    private static ActionRequest select(String session) {
        return new ActionRequest("jdbc", "SELECT", "customers", Map.of("sql", "SELECT * FROM customers", "session", session));
    }

    private static ActionRequest chat(String session, long inputEstimate, long maxOutput) {
        return chat("agent", session, inputEstimate, maxOutput);
    }

    private static ActionRequest chat(String actor, String session, long inputEstimate, long maxOutput) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("model.name", "gpt-4o");
        attributes.put("model.input.estimate", inputEstimate);
        if (maxOutput > 0) {
            attributes.put("model.maxOutput", maxOutput);
        }
        attributes.put("actor", actor);
        attributes.put("session", session);
        attributes.put("call", System.nanoTime()); // distinct calls, as distinct conversations make them
        return new ActionRequest("model", "chat", "gpt-4o", attributes);
    }

    /** 2,000 CJK characters: estimated at 500 tokens (4 characters each), bounded by their 6,000 UTF-8 bytes. */
    static ActionRequest cjk(String session) {
        Map<String, Object> attributes = new HashMap<>(chat(session, 500, 256).attributes());
        attributes.put("model.input.bound", 6_000L);
        return new ActionRequest("model", "chat", "gpt-4o", attributes);
    }

    static Map<String, Object> usage(String session, long input, long output) {
        return Map.of("usage.input", input, "usage.output", output, "session", session);
    }

    /** A clock the test moves; Warden's windows read it, nothing sleeps. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
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
