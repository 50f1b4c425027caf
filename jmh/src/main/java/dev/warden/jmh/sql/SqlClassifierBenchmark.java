package dev.warden.jmh.sql;

import dev.warden.instrumentation.jdbc.sql.SqlClassification;
import dev.warden.instrumentation.jdbc.sql.SqlClassifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-statement cost of SQL classification once a shape is cached (DESIGN §7: a few µs budget):
 * a plain statement with inline literals (lexed, masked, cache hit) and a prepared statement's text.
 * Run: java -jar jmh/target/benchmarks.jar SqlClassifierBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SqlClassifierBenchmark {

    private final SqlClassifier classifier = new SqlClassifier(10_000, 64 * 1024);
    private final String[] literalStatements = new String[64];
    private int next;

    @Setup
    public void setUp() {
        for (int i = 0; i < literalStatements.length; i++) {
            literalStatements[i] = "SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id "
                    + "WHERE c.id = " + (1000 + i) + " AND o.status = 'open-" + i + "' ORDER BY o.total DESC LIMIT 10";
        }
        classifier.classify(literalStatements[0]); // the one parse; everything measured hits the cache
    }

    @Benchmark
    public SqlClassification cachedWithInlineLiterals() {
        return classifier.classify(literalStatements[next++ & 63]);
    }

    @Benchmark
    public SqlClassification cachedPreparedText() {
        return classifier.classify("SELECT name FROM accounts WHERE id = ?");
    }
}
