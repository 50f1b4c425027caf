package dev.warden.jmh.file;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A file opened for writing and closed: {@code Files.newOutputStream} on a file in a temporary
 * directory (truncating it), and a {@code FileOutputStream} on the same file. Under the agent each
 * open is one decision (the path resolved component by component, the rules evaluated afresh: file
 * descriptions are never reused) and one receipt. Subclasses run it with and without Warden in one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class FileOpenForWrite {

    /** Under /tmp, which the benchmark's rule permits. */
    static final String DIRECTORY_PREFIX = "warden-jmh-file";

    private Path directory;
    private Path file;

    @Setup(Level.Trial)
    public void createDirectory() throws IOException {
        directory = Files.createTempDirectory(DIRECTORY_PREFIX);
        file = directory.resolve("out.bin");
    }

    @TearDown(Level.Trial)
    public void deleteDirectory() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }

    @Benchmark
    public Path filesNewOutputStream() throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(1);
        }
        return file;
    }

    @Benchmark
    public Path fileOutputStream() throws IOException {
        try (OutputStream out = new java.io.FileOutputStream(file.toString())) {
            out.write(1);
        }
        return file;
    }
}
