package dev.warden.agent.context;

import dev.warden.agent.config.Mode;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.state.StatePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restarts that bring the in-process state forward from the previous start's snapshot: each start reads only what
 * was recorded after it, and decides exactly as a replay of the whole log would. Real engine, compiled policy,
 * receipt log and cache directory; a clock the test moves.
 */
class SnapshottedRestartsTest {

    private static final String STATE = """
            limits:
              - {name: daily-ops, per: actor, max: 6, window: 1d, scopes: ["**"]}
            loops:
              - {name: same-call, max: 3, within: 1h}
            chains:
              - {name: no-egress-after-pii, after: [label:pii], deny: [http:*:post]}
            """;

    /** Every kind of state, with sliding windows that wrap the store's ring of buckets over the hours the test runs. */
    private static final String FULL = """
            pricing:
              default: {input: 1.00, output: 2.00, max-output: 100}
            budgets:
              - {name: daily-spend, per: session, cost: 1000.00, window: 1d}
              - {name: tokens, per: actor, tokens: 100000000}
            limits:
              - {name: hourly-ops, per: actor, max: 1000, window: 1h, scopes: ["**"]}
              - {name: daily-gets, per: session, max: 1000, window: 1d, scopes: ["http:*:get"]}
            loops:
              - {name: same-call, max: 1000, within: 30m}
            chains:
              - {name: no-egress-after-pii, after: [label:pii], deny: [http:*:post]}
            """;
    private static final List<String> ACTORS = List.of("agent", "other");
    private static final List<String> SESSIONS = List.of("s1", "s2", "s3");

    @TempDir
    Path receipts;
    @TempDir
    Path cache;

    private ReceiptLog log;
    private final StatefulDecisionsTest.MovableClock clock = new StatefulDecisionsTest.MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<Integer> replayed = new ArrayList<>();

    @AfterEach
    void close() {
        stop();
    }

    @Test
    void eachRestartReadsOnlyWhatWasRecordedAfterThePreviousStartsFirstDecisionAndForgetsNothing() throws Exception {
        WardenEngine first = start(STATE);
        permitted(first, get("/a", "agent", "s1"), get("/a", "agent", "s1"), select("tainted"));
        stop();

        WardenEngine second = start(STATE);
        permitted(second, get("/b", "agent", "s2"));
        stop();

        WardenEngine third = start(STATE);
        assertThat(third.decide(get("/a", "agent", "s1")).outcome()).as("the third identical call in the hour").isEqualTo(Outcome.PERMIT);
        assertThat(third.decide(get("/a", "agent", "s1")).rules()).as("the fourth").containsExactly("loop:same-call");
        assertThat(third.decide(post("tainted")).rules()).as("a label from the first run").containsExactly("chain:no-egress-after-pii");
        permitted(third, get("/c", "agent", "s3"));
        assertThat(third.decide(get("/d", "agent", "s3")).rules()).as("the seventh operation of the day")
                .containsExactly("limit:daily-ops");

        assertThat(replayed).as("receipts replayed at each start: all of the first run's, then only what came after")
                .containsExactly(0, 3, 1);
    }

    @Test
    void restartsFromSnapshotsKnowWhatAWholeReplayWouldKnowOverDaysOfWindowsBudgetsAndLabels() throws Exception {
        java.util.Random random = new java.util.Random(17);
        java.util.Set<String> counted = new java.util.TreeSet<>();
        for (int run = 0; run < 5; run++) {
            WardenEngine engine = start(FULL);
            List<Map.Entry<Decision, Object>> running = new ArrayList<>(); // model calls whose usage is not reported yet
            for (int i = 0; i < 40; i++) {
                clock.advance(Duration.ofSeconds(random.nextInt(4 * 60 * 60 / 40))); // 5 runs: about 20 hours
                if (random.nextInt(8) == 0) {
                    // The keeper's pass while the host runs: calls running now may report their usage after it.
                    StateKeeper.pass(receipts, cache, clock::millis, policy(FULL), ReplayedState.Apart.NONE);
                }
                ActionRequest request = anyOf(random);
                Decision decision = engine.decide(request);
                if (request.surface().equals("model") && decision.outcome() == Outcome.PERMIT) {
                    running.add(Map.entry(decision, request.attributes().get("session")));
                }
                if (!running.isEmpty() && random.nextInt(3) == 0) {
                    // Calls report their usage some actions later (settling their budgets' reservations); some never do.
                    Map.Entry<Decision, Object> call = running.remove(random.nextInt(running.size()));
                    engine.observe(call.getKey().receiptId(), "model", "usage", Map.of("usage.input", (long) random.nextInt(600),
                            "usage.output", (long) random.nextInt(60), "session", call.getValue()));
                }
            }
            stop();

            Map<String, Object> fromSnapshot = facts(store -> new SnapshottedHistory(new ReceiptHistory(receipts), store,
                    new StateSnapshots(cache, receipts, clock::millis), true));
            Map<String, Object> wholeLog = facts(store -> new ReceiptHistory(receipts));
            assertThat(fromSnapshot).as("after run " + run).isEqualTo(wholeLog);
            wholeLog.forEach((key, fact) -> {
                if (!fact.equals(java.util.Set.of()) && (!(fact instanceof String number) || new java.math.BigDecimal(number).signum() > 0)) {
                    counted.add(key.substring(key.lastIndexOf(' ') + 1));
                }
            });
        }
        assertThat(counted).as("every kind of fact counted something at some restart")
                .contains("limit.hourly-ops.count", "limit.daily-gets.count", "loop.same-call.count", "budget.daily-spend.spent",
                        "budget.tokens.spent", "usage.actor.total", "usage.session.total", "session.labels");
        assertThat(replayed).as("each start finds the snapshot the comparison before it kept, of the whole log so far")
                .hasSize(5).containsOnly(0);
    }

    @Test
    void aPassDuringARunLetsTheNextStartReplayOnlyWhatCameAfterItAndAUsageReportAfterItSettlesTheCallBeforeIt() throws Exception {
        WardenEngine engine = start(FULL);
        Decision call = engine.decide(chat("agent", "s1"));
        assertThat(call.outcome()).isEqualTo(Outcome.PERMIT);
        permitted(engine, get("/a", "agent", "s1"));
        StateKeeper.pass(receipts, cache, clock::millis, policy(FULL), ReplayedState.Apart.NONE); // while the host runs
        engine.observe(call.receiptId(), "model", "usage", Map.of("usage.input", 20L, "usage.output", 3L, "session", "s1"));
        permitted(engine, get("/b", "agent", "s1"));
        stop();

        Map<String, Object> fromSnapshot = facts(store -> counting(new SnapshottedHistory(new ReceiptHistory(receipts), store,
                new StateSnapshots(cache, receipts, clock::millis), true)));
        Map<String, Object> wholeLog = facts(store -> new ReceiptHistory(receipts));
        assertThat(replayed).as("the run's start, with nothing before it; then the usage report and the GET after the pass")
                .containsExactly(0, 2);
        assertThat(fromSnapshot).isEqualTo(wholeLog);
        String digest = anyDigest(wholeLog);
        assertThat(wholeLog).as("the call's estimate (500 + 50 tokens) settled to what it used (20 + 3)")
                .containsEntry("agent s1 " + digest + " budget.tokens.spent", "23")
                .containsEntry("agent s1 " + digest + " budget.daily-spend.spent", "0.000026000"); // 20 x 1.00 + 3 x 2.00 a million
    }

    @Test
    void aChangedSnapshotIsNotUsedAndTheWholeLogIsReplayed() throws Exception {
        aLogOfTwoRuns();
        Path entry = onlyEntry();
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 9] ^= 1; // somewhere in the store's image
        Files.write(entry, bytes);

        WardenEngine third = start(STATE);
        permitted(third, get("/z", "agent", "s9"), get("/z", "agent", "s9"), get("/z", "agent", "s9"));
        assertThat(third.decide(get("/y", "agent", "s9")).rules()).containsExactly("limit:daily-ops");
        assertThat(replayed).last().as("the whole log").isEqualTo(3);
    }

    @Test
    void aSnapshotMadeForOtherStateRulesIsNotUsedAndTheLogIsCountedByTheNewOnes() throws Exception {
        aLogOfTwoRuns(); // two GETs and a SELECT
        WardenEngine third = start(STATE.replace("max: 6", "max: 3").replace("scopes: [\"**\"]", "scopes: [\"http:*:get\"]"));
        permitted(third, get("/z", "agent", "s9"));
        assertThat(third.decide(get("/y", "agent", "s9")).rules()).as("the fourth GET").containsExactly("limit:daily-ops");
        assertThat(replayed).last().as("the whole log").isEqualTo(3);
    }

    @Test
    void anOlderSnapshotPutBackIsStillATrueAccountTheRestIsReplayedAfterIt() throws Exception {
        aLogOfTwoRuns();
        Path entry = onlyEntry();
        byte[] older = Files.readAllBytes(entry);
        WardenEngine third = start(STATE);
        permitted(third, get("/c", "agent", "s3"));
        stop();
        Files.write(entry, older);

        WardenEngine fourth = start(STATE);
        permitted(fourth, get("/d", "agent", "s4"), get("/e", "agent", "s4"));
        assertThat(fourth.decide(get("/f", "agent", "s4")).rules()).containsExactly("limit:daily-ops");
        assertThat(replayed).containsExactly(0, 2, 1, 2);
    }

    @Test
    void aSnapshotWhoseReceiptIsNoLongerInTheLogIsNotUsed() throws Exception {
        aLogOfTwoRuns();
        Path entry = onlyEntry();
        byte[] kept = Files.readAllBytes(entry);
        deleteRecursively(receipts);
        Files.createDirectories(receipts);
        WardenEngine other = start(STATE);
        permitted(other, get("/x1", "agent", "s1"), get("/x2", "agent", "s1"), get("/x3", "agent", "s1"), get("/x4", "agent", "s1"));
        stop();
        Files.write(entry, kept); // the first log's snapshot, for the same directory

        WardenEngine next = start(STATE);
        permitted(next, get("/w", "agent", "s2"), get("/w", "agent", "s2"));
        assertThat(next.decide(get("/v", "agent", "s2")).rules()).as("counted from the log that is there")
                .containsExactly("limit:daily-ops");
        assertThat(replayed).last().isEqualTo(4);
    }

    @Test
    void aPruneAfterTheSnapshotsReceiptMakesTheStartForgetWhatThePrunedFilesHeldAsAWholeReplayWould() throws Exception {
        WardenEngine first = start(STATE); // each run on a day of its own: a cycle file each
        permitted(first, select("tainted"));
        stop();
        clock.advance(Duration.ofDays(1));
        WardenEngine second = start(STATE);
        assertThat(second.decide(post("tainted")).rules()).as("the label of the first day").containsExactly("chain:no-egress-after-pii");
        stop();
        clock.advance(Duration.ofDays(1));
        WardenEngine third = start(STATE); // its snapshot's receipt is the second day's last
        permitted(third, get("/c", "agent", "s3"));
        stop();

        dev.warden.receipts.LogPruner.Result pruned = dev.warden.receipts.LogPruner.prune(options(), 1, null);
        assertThat(pruned.files()).as("the first day's file").hasSize(1);
        WardenEngine fourth = start(STATE);
        permitted(fourth, post("tainted"));
        long left = dev.warden.receipts.ReceiptReader.receipts(receipts).stream()
                .filter(receipt -> !receipt.draft().rules().contains(dev.warden.receipts.Prune.RULE)).count() - 1; // not the fourth's post
        assertThat(replayed).as("the third day's receipt after the snapshot's; at the prune, the whole log that is left")
                .containsExactly(0, 1, 1, 1 + (int) left);
        assertThat(left).isGreaterThan(1);
    }

    /** Two runs, of two permitted operations and one; the second start kept a snapshot of the first run. */
    private void aLogOfTwoRuns() throws Exception {
        WardenEngine first = start(STATE);
        permitted(first, get("/a", "agent", "s1"), select("s1"));
        stop();
        WardenEngine second = start(STATE);
        permitted(second, get("/c", "agent", "s2"));
        stop();
        assertThat(replayed).containsExactly(0, 2);
    }

    private WardenEngine start(String state) throws Exception {
        WardenThreads threads = new WardenThreads(null);
        PolicyHolder policy = PolicyHolder.compileInBackground(bundle(state), Duration.ofMinutes(2), threads);
        policy.await();
        log = ReceiptLog.open(options().withThreadFactory(threads));
        InProcessStateStore store = new InProcessStateStore(clock::millis);
        History counted = counting(new SnapshottedHistory(receipts, store, cache, clock::millis));
        return new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, ReceiptRecorder.writingTo(log),
                Mode.ENFORCE, true, new ContextStage(store, counted, clock::millis), clock);
    }

    /** The log's options: it rolls by the test's clock. */
    private ReceiptLogOptions options() {
        return ReceiptLogOptions.defaults(receipts).withRollClock(clock);
    }

    private void stop() {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    /** The history, counting what it hands over at each start in {@link #replayed}. */
    private History counting(History history) {
        return new CountingHistory(history, replayed);
    }

    /**
     * Every fact the state rules of {@link #FULL} read, for each actor, session and recorded action the tests use, as a
     * stage sees them whose store is rebuilt by the history {@code over} that store gives.
     */
    private Map<String, Object> facts(java.util.function.Function<InProcessStateStore, History> over) throws Exception {
        InProcessStateStore store = new InProcessStateStore(clock::millis);
        ContextStage stage = new ContextStage(store, over.apply(store), clock::millis);
        StatePolicy policy = policy(FULL);
        java.util.Set<String> digests = new java.util.TreeSet<>();
        for (dev.warden.receipts.Receipt receipt : dev.warden.receipts.ReceiptReader.receipts(receipts)) {
            if (receipt.draft().actionDigest() != null) {
                digests.add(receipt.draft().actionDigest());
            }
        }
        Map<String, Object> facts = new TreeMap<>();
        for (String actor : ACTORS) {
            for (String session : SESSIONS) {
                for (String digest : digests) {
                    ContextAction action = new ContextAction("probe", clock.instant(), "http", "GET", "api.example.com",
                            java.util.Set.of(), Map.of(), digest, actor, null, session, java.util.Set.of());
                    for (String name : stage.factNames(policy)) {
                        Object fact = stage.view(policy, action).read(name);
                        facts.put(actor + " " + session + " " + digest + " " + name, fact instanceof java.util.Set<?> set
                                ? java.util.Set.copyOf(set) : String.valueOf(fact));
                    }
                }
            }
        }
        return facts;
    }

    private static StatePolicy policy(String state) {
        return StatePolicy.parse(new org.yaml.snakeyaml.Yaml().load(state));
    }

    /** A recorded action's digest among the facts' keys (the budget facts are the same for each). */
    private static String anyDigest(Map<String, Object> facts) {
        return facts.keySet().iterator().next().split(" ")[2];
    }

    private static ActionRequest anyOf(java.util.Random random) {
        String actor = ACTORS.get(random.nextInt(ACTORS.size()));
        String session = SESSIONS.get(random.nextInt(SESSIONS.size()));
        return switch (random.nextInt(5)) {
            case 0 -> select(session);
            case 1 -> post(session);
            case 2 -> chat(actor, session);
            default -> get("/item/" + random.nextInt(3), actor, session);
        };
    }

    private static void permitted(WardenEngine engine, ActionRequest... requests) {
        for (ActionRequest request : requests) {
            Decision decision = engine.decide(request);
            assertThat(decision.outcome()).as(decision.reason()).isEqualTo(Outcome.PERMIT);
        }
    }

    private Path onlyEntry() throws IOException {
        try (var entries = Files.list(cache)) {
            List<Path> states = entries.filter(path -> path.getFileName().toString().endsWith(".state")).toList();
            assertThat(states).hasSize(1);
            return states.get(0);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (var walk = Files.walk(directory)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static PolicyBundle bundle(String state) {
        return PolicyBundle.of(Map.of("test.drl", StatefulDecisionsTest.RULES.getBytes(StandardCharsets.UTF_8),
                "state.yaml", state.getBytes(StandardCharsets.UTF_8)));
    }

    private static ActionRequest get(String path, String actor, String session) {
        return new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", path, "actor", actor, "session", session));
    }

    private static ActionRequest post(String session) {
        return new ActionRequest("http", "POST", "paste.example.com", Map.of("url.path", "/upload", "session", session));
    }

    /** A model call whose usage the host reports once it ran, as the LangChain4j surface does. */
    private static ActionRequest chat(String actor, String session) {
        Map<String, Object> attributes = new java.util.HashMap<>(Map.of("model.name", "gpt-4o", "model.input.estimate", 500L,
                "model.maxOutput", 50L, "actor", actor, "session", session));
        attributes.put("call", System.nanoTime());
        return new ActionRequest("model", "chat", "gpt-4o", attributes);
    }

    private static ActionRequest select(String session) {
        return new ActionRequest("jdbc", "SELECT", "customers", Map.of("sql", "SELECT * FROM customers", "session", session));
    }
}
