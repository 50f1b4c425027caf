package dev.warden.jmh.engine;

import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.instrumentation.jdbc.JdbcInstrumentationModule;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.rules.Action;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.Ruling;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The engine alone, in process: the rules over one SQL action ({@code rules}), and the whole agent
 * path without instrumentation: classify (cached), decide, hash and append the receipt ({@code decide}, where
 * the repeated statement's ruling is recalled; {@code decideEvaluatingRules}, where it is not).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED"})
public class EngineBenchmark {

    private static final Map<String, Object> POINT_QUERY = Map.of("sql", "SELECT name FROM bench WHERE id = ?",
            "db.product", "H2", "db.url", "jdbc:h2:mem:bench", "jdbc.method", "executeQuery", "jdbc.prepared", true);

    private CompiledPolicy policy;
    private WardenEngine engine;
    private WardenEngine evaluatingEngine;
    private ReceiptLog receipts;
    private Action action;

    @Setup(Level.Trial)
    public void start() throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        PolicyBundle bundle = PolicyBundle.load(Path.of("jmh/rules/jdbc"));
        WardenThreads threads = new WardenThreads(null);
        PolicyHolder holder = PolicyHolder.compileInBackground(bundle, Duration.ofMinutes(1), threads);
        policy = holder.await();
        receipts = ReceiptLog.open(ReceiptLogOptions.defaults(Files.createTempDirectory("jmh-engine"))
                .withThreadFactory(threads));
        engine = new WardenEngine(Map.of("jdbc", new JdbcInstrumentationModule().enricher()),
                new IdentityResolver("bench-agent"), holder, ReceiptRecorder.writingTo(receipts), dev.warden.agent.config.Mode.ENFORCE, true);
        evaluatingEngine = new WardenEngine(Map.of("jdbc", new JdbcInstrumentationModule().enricher()),
                new IdentityResolver("bench-agent"), holder, ReceiptRecorder.writingTo(receipts), dev.warden.agent.config.Mode.ENFORCE, false);
        action = new Action("id", "jdbc", "SELECT", "bench", Set.of("bench"), POINT_QUERY, "bench-agent", null, null);
    }

    @Benchmark
    public Ruling rules() {
        return policy.evaluate(action);
    }

    @Benchmark
    public Decision decide() {
        return engine.decide(ActionRequest.of("jdbc", POINT_QUERY));
    }

    /** The same with {@code reuse-rulings=false}: the rules are evaluated for every execution. */
    @Benchmark
    public Decision decideEvaluatingRules() {
        return evaluatingEngine.decide(ActionRequest.of("jdbc", POINT_QUERY));
    }

    @TearDown(Level.Trial)
    public void stop() {
        receipts.close();
    }
}
