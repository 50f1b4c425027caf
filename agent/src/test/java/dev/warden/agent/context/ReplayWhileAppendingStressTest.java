package dev.warden.agent.context;

import dev.warden.agent.config.Mode;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No hook: replays (what a keeper pass reads) race a real writer thread. Every receipt up to a replay's mark must have
 * been handed over: before the scan of a live log stopped at the end of the data, most such replays here skipped one.
 */
class ReplayWhileAppendingStressTest {

    private static final int PASSES = 30;
    private static final int AHEAD = 20;

    @TempDir
    Path receipts;

    @Test
    void everyReceiptUpToTheMarkIsHandedOver() throws Exception {
        StatefulDecisionsTest.MovableClock clock = new StatefulDecisionsTest.MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
        WardenThreads threads = new WardenThreads(null);
        PolicyHolder policy = PolicyHolder.compileInBackground(PolicyBundle.of(Map.of("test.drl",
                StatefulDecisionsTest.RULES.getBytes(StandardCharsets.UTF_8))), Duration.ofMinutes(2), threads);
        policy.await();
        ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts).withRollClock(clock).withThreadFactory(threads));
        WardenEngine engine = new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, ReceiptRecorder.writingTo(log),
                Mode.ENFORCE, true, new ContextStage(new InProcessStateStore(clock::millis), History.NONE, clock::millis), clock);
        engine.decide(get(0));
        AtomicInteger passes = new AtomicInteger();
        // The host acts until the replays are done, at most a few actions ahead of each: each replay races appends,
        // however fast either runs here, and the log stays small.
        Thread writer = new Thread(() -> {
            for (int i = 1; passes.get() < PASSES; ) {
                if (i <= (passes.get() + 1) * AHEAD) {
                    engine.decide(get(i++));
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        writer.start();
        String firstBad = null;
        while (passes.get() < PASSES) {
            long[] handed = {0};
            LogMark mark = new ReceiptHistory(receipts).replayAfter(LogMark.START, () -> { }, past -> handed[0]++);
            passes.incrementAndGet();
            long upToMark = 0;
            for (LogEntry entry : ReceiptReader.readAll(receipts)) {
                if (entry instanceof LogEntry.StoredReceipt) {
                    upToMark++;
                    if (entry.location().equals(mark.at())) {
                        break;
                    }
                }
            }
            if (handed[0] != upToMark || mark.receipts() != upToMark) {
                if (firstBad == null) {
                    firstBad = "pass " + passes + ": handed over " + handed[0] + ", mark says " + mark.receipts()
                            + ", but the log holds " + upToMark + " receipts up to the mark " + mark;
                }
            }
        }
        writer.join();
        log.close();
        assertThat(firstBad).as("every replay hands over each receipt up to its mark, and no other").isNull();
    }

    private static ActionRequest get(int i) {
        return new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", "/" + i, "actor", "agent", "session", "s1"));
    }
}
