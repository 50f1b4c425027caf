package dev.warden.jmh.process;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One process start of {@code /bin/true}, to its exit: what the agent adds is one decision (the
 * program's path resolved once per distinct command, rules' ruling reused) and one receipt, next to
 * a fork/exec that costs a millisecond. Subclasses run it with and without Warden in one JMH run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class ProcessStart {

    private final ProcessBuilder trueCommand = new ProcessBuilder("/bin/true");

    @Benchmark
    public int startTrue() throws IOException, InterruptedException {
        return trueCommand.start().waitFor();
    }
}
