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

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keeper's pass reads the log while the host appends to it. Here the host's appends are made at one fixed moment
 * of the pass (while it hands over the first receipt: after the scanner copied its window of the cycle file, before it
 * reads the next document header from that copy), which a real keeper thread meets by preemption on a busy machine. The
 * scan once took the stale copy's zero header for the end, searched on in the file itself, skipped the receipt written
 * there meanwhile and handed over the next: the snapshot's mark then covered a receipt its counts did not, and the next
 * start let a fourth GET through a limit of three. The limit must hold at the next start.
 */
class KeeperPassDuringAppendsTest {

    private static final String STATE = """
            limits:
              - {name: api-gets, per: actor, max: 3, window: 1d, scopes: ["http:*:get"]}
            """;

    @TempDir
    Path receipts;
    @TempDir
    Path cache;

    private ReceiptLog log;
    private final StatefulDecisionsTest.MovableClock clock = new StatefulDecisionsTest.MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @AfterEach
    void close() {
        stop();
    }

    @Test
    void aReceiptAppendedWhileAPassReadsTheLogIsNeitherSkippedNorCoveredByTheMark() throws Exception {
        WardenEngine first = start();
        permitted(first, get("/1")); // the start's replay: an empty log, no snapshot
        // The host records two more inserts while the keeper's pass is between two documents of the log.
        boolean[] done = {false};
        ReplayedState.Apart hostAppendsMeanwhile = (store, zone) -> new ReplayedState() {
            @Override
            public String fingerprint() {
                return ReplayedState.NONE.fingerprint();
            }

            @Override
            public void replay(PastAction past, long nowMillis) {
                if (!done[0]) {
                    done[0] = true;
                    permitted(first, get("/2"), get("/3"));
                }
            }

            @Override
            public void writeTo(DataOutputStream out, long nowMillis) {
            }

            @Override
            public void restore(DataInputStream in, long nowMillis) {
            }

            @Override
            public void clear() {
            }
        };
        StateKeeper.pass(receipts, cache, clock::millis, policy(), hostAppendsMeanwhile);
        assertThat(done[0]).as("the host appended while the pass read the log").isTrue();
        stop();

        WardenEngine second = start();
        Decision fourth = second.decide(get("/4"));
        assertThat(fourth.outcome()).as("the fourth GET of the day, after a restart from the keeper's snapshot: "
                + fourth.reason()).isEqualTo(Outcome.DENY);
        assertThat(fourth.reason()).contains("limit api-gets: 4 > 3 today");
    }

    private WardenEngine start() throws Exception {
        WardenThreads threads = new WardenThreads(null);
        PolicyHolder policy = PolicyHolder.compileInBackground(bundle(), Duration.ofMinutes(2), threads);
        policy.await();
        log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts).withRollClock(clock).withThreadFactory(threads));
        InProcessStateStore store = new InProcessStateStore(clock::millis);
        return new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, ReceiptRecorder.writingTo(log),
                Mode.ENFORCE, true, new ContextStage(store, new SnapshottedHistory(receipts, store, cache, clock::millis),
                clock::millis), clock);
    }

    private void stop() {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    private static StatePolicy policy() {
        return StatePolicy.parse(new org.yaml.snakeyaml.Yaml().load(STATE));
    }

    private static PolicyBundle bundle() {
        return PolicyBundle.of(Map.of("test.drl", StatefulDecisionsTest.RULES.getBytes(StandardCharsets.UTF_8),
                "state.yaml", STATE.getBytes(StandardCharsets.UTF_8)));
    }

    private static void permitted(WardenEngine engine, ActionRequest... requests) {
        for (ActionRequest request : requests) {
            Decision decision = engine.decide(request);
            assertThat(decision.outcome()).as(decision.reason()).isEqualTo(Outcome.PERMIT);
        }
    }

    private static ActionRequest get(String path) {
        return new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", path, "actor", "agent", "session", "s1"));
    }
}
