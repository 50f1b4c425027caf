package dev.warden.jmh.receipts;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptWriteException;
import dev.warden.verifier.VerificationReport;
import dev.warden.verifier.Verifier;
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
import java.util.concurrent.TimeUnit;

/** An auditor's full `verify` of one million receipts (every hash, link, signature and root). Budget: under 10 s. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED"})
public class VerifyMillionReceiptsBenchmark {
    static final int RECEIPTS = 1_000_000;

    private Path directory;
    private Path publicKey;

    @Setup(Level.Trial)
    public void writeMillion() throws IOException, ReceiptWriteException {
        directory = Files.createTempDirectory("warden-jmh-verify");
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(directory))) {
            for (int i = 0; i < RECEIPTS; i++) {
                log.append(new ReceiptDraft(String.format("01935f3c-7b2a-7000-8000-%012d", i), t0.plusNanos(i * 1000L),
                        "support-bot", null, "s-" + (i / 100), "jdbc", "SELECT", "accounts", null,
                        Map.of("sql", "SELECT name FROM accounts WHERE id = ?", "tables", "accounts"), "PERMIT", true,
                        List.of("support-may-read-accounts"), "permitted", Map.of(), null));
            }
            publicKey = log.publicKeyFile();
        }
    }

    @Benchmark
    public VerificationReport verify() throws IOException {
        VerificationReport report = Verifier.verify(directory, Ed25519Keys.readPublic(publicKey));
        if (!report.allValid() || report.receipts() != RECEIPTS) {
            throw new IllegalStateException(report.summary());
        }
        return report;
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Cleanup.delete(directory);
    }
}
