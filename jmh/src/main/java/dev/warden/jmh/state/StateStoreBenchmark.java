package dev.warden.jmh.state;

import dev.warden.agent.config.StateLocation;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.context.RedisStateStore;
import dev.warden.agent.context.StateStore;
import dev.warden.rules.state.Window;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What one check-and-reserve of a limit costs, by store: in this process, or one Lua script on the
 * Redis at 127.0.0.1:6379 (a loopback round trip). A limit that never fills, so every call reserves;
 * the Redis key expires by itself a minute after the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StateStoreBenchmark {

    @Param({"in-process", "redis"})
    public String store;

    private final Window minute = Window.parse("1m");
    private final String key = "bench-" + UUID.randomUUID() + ":limit:ops:actor:bench";
    private StateStore state;

    @Setup
    public void open() {
        state = store.equals("redis")
                ? new RedisStateStore(new StateLocation("127.0.0.1", 6379, 0), Duration.ofMillis(50), "warden-", System::currentTimeMillis)
                : new InProcessStateStore(System::currentTimeMillis);
    }

    @TearDown
    public void close() {
        state.close();
    }

    @Benchmark
    public StateStore.Acquisition acquire() {
        return state.acquire(key, minute.span(Instant.now(), ZoneOffset.UTC), 1, Long.MAX_VALUE / 4);
    }
}
