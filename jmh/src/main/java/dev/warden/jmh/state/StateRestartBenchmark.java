package dev.warden.jmh.state;

import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.History;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.context.ReceiptHistory;
import dev.warden.agent.context.SnapshottedHistory;
import dev.warden.jmh.receipts.Cleanup;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptWriteException;
import dev.warden.rules.state.StatePolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a start's first decision waits for while the in-process state is rebuilt from a receipt log of a million
 * receipts (50 actors, 10,000 sessions, a label in one of fifty): a replay of the whole log, or the previous start's
 * snapshot restored and the 1,000 receipts recorded after it replayed, and a new snapshot kept (each shot puts the
 * previous start's snapshot back first, as the next real start would find it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", // Chronicle writes the log in this JVM: what the agent's loader grants it
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED"})
public class StateRestartBenchmark {
    static final int RECEIPTS = 1_000_000;
    static final int SINCE_THE_SNAPSHOT = 1_000;

    @Param({"whole-log", "snapshot"})
    public String from;

    private final StatePolicy policy = StatePolicy.parse(new org.yaml.snakeyaml.Yaml().load("""
            limits:
              - {name: ops, per: actor, max: 1000000000, window: 1mo}
            loops:
              - {name: same-call, max: 1000000000, within: 1h}
            """));
    private Path directory;
    private Path receipts;
    private Path cache;
    private Path entry;
    private byte[] previousStart;

    @Setup(Level.Trial)
    public void writeMillion() throws IOException, ReceiptWriteException {
        directory = Files.createTempDirectory("warden-jmh-restart");
        receipts = directory.resolve("receipts");
        cache = directory.resolve("cache");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.DAYS);
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts))) {
            append(log, 0, RECEIPTS - SINCE_THE_SNAPSHOT, t0);
        }
        start(new InProcessStateStore(System::currentTimeMillis), true); // the previous start: it keeps a snapshot
        try (Stream<Path> entries = Files.list(cache)) {
            entry = entries.filter(file -> file.toString().endsWith(".state")).findFirst().orElseThrow();
        }
        previousStart = Files.readAllBytes(entry);
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts))) {
            append(log, RECEIPTS - SINCE_THE_SNAPSHOT, RECEIPTS, t0);
        }
    }

    @Setup(Level.Invocation)
    public void previousStartsSnapshot() throws IOException {
        Files.write(entry, previousStart);
    }

    @Benchmark
    public Set<String> firstDecision() {
        return start(new InProcessStateStore(System::currentTimeMillis), from.equals("snapshot"));
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Cleanup.delete(directory);
    }

    /** A start's context stage over the log, asked for what rules may read: it replays before it answers. */
    private Set<String> start(InProcessStateStore store, boolean snapshots) {
        History history = snapshots ? new SnapshottedHistory(receipts, store, cache, System::currentTimeMillis)
                : new ReceiptHistory(receipts);
        return new ContextStage(store, history, System::currentTimeMillis).factNames(policy);
    }

    private static void append(ReceiptLog log, int from, int to, Instant t0) throws ReceiptWriteException {
        for (int i = from; i < to; i++) {
            log.append(new ReceiptDraft(String.format("01935f3c-7b2a-7000-8000-%012d", i), t0.plusMillis(i), "agent-" + (i % 50),
                    null, "s-" + (i / 100), "jdbc", "SELECT", "accounts", "digest-" + (i % 1000),
                    i % 50 == 0 ? Map.of("sql", "SELECT name FROM accounts WHERE id = ?", "labels", "pii")
                            : Map.of("sql", "SELECT name FROM accounts WHERE id = ?"),
                    "PERMIT", true, List.of("support-may-read-accounts"), "permitted", Map.of(), null));
        }
    }
}
