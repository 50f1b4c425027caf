package dev.warden.jmh.receipts;

import dev.warden.receipts.ActionDigest;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptWriteException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The gate's hot path for the record step: scrub, chain, encode, hash and append one receipt of
 * about 700 bytes (a JDBC decision), with the background signer running at its defaults.
 * Budget: 3 µs p50.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED"})
public class ReceiptAppendBenchmark {
    private Path directory;
    private ReceiptLog log;
    private ReceiptDraft draft;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("warden-jmh-receipts");
        log = ReceiptLog.open(ReceiptLogOptions.defaults(directory));
        String sql = "SELECT name, email FROM accounts WHERE id = ?";
        draft = new ReceiptDraft("01935f3c-7b2a-7000-8000-000000000001", Instant.now(), "support-bot",
                "alice@example.com", "session-42", "jdbc", "SELECT", "accounts",
                ActionDigest.of("jdbc", "SELECT", "accounts", new TreeMap<>(Map.of("sql", sql))),
                Map.of("sql", sql, "tables", "accounts", "db.system", "h2", "db.user", "app", "statements", "1"),
                "PERMIT", true, List.of("support-may-read-accounts"), "permitted by support-may-read-accounts",
                Map.of("maxRows", "100"), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    @Benchmark
    public Receipt appendAndHash() throws ReceiptWriteException {
        return log.append(draft);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        Cleanup.delete(directory);
    }
}
