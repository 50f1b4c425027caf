package dev.warden.agent.engine;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where HotSpot writes the heap on an {@code OutOfMemoryError} when the operator asked it to
 * ({@code -XX:+HeapDumpOnOutOfMemoryError}, as production hosts are commonly run): the whole heap, Warden's signing
 * key, cache key and control key in it. The JVM writes it natively, and the host brings it about by asking for an array
 * larger than the heap; a host that could then read it would hold the keys (a review, 2026-12-07). So it is one of
 * Warden's secrets ({@link OwnFiles#secrets}), which no host action opens, copies or links. So are the dumps of
 * {@code -XX:+HeapDumpBeforeFullGC} and {@code -XX:+HeapDumpAfterFullGC} (a host brings a full GC about with
 * {@code System.gc()}), to the same name, and every dump after the first, which HotSpot numbers {@code NAME.1},
 * {@code NAME.2}, ... ({@link OwnFiles#numberedSecrets}): until an eighth review (2026-12-07) those were the host's.
 * <p>
 * Named as HotSpot names it: {@code HeapDumpPath} with {@code %p} as the process id, or {@code java_pid<pid>.hprof}
 * (in that directory, or in the process's working directory without one), {@code .hprof.gz} when
 * {@code HeapDumpGzipLevel} is set. HotSpot asks whether the path is a directory only when it dumps, so both readings
 * of a path are kept.
 */
final class HeapDumpFile {
    /** The options that have HotSpot dump the heap on its own, each to the same name (numbered after the first). */
    private static final java.util.Set<String> DUMPS = java.util.Set.of("-XX:+HeapDumpOnOutOfMemoryError",
            "-XX:+HeapDumpBeforeFullGC", "-XX:+HeapDumpAfterFullGC");

    private HeapDumpFile() {
    }

    /**
     * The names the dump may take, or none when no dump on an {@code OutOfMemoryError} is asked for. Read from the
     * JVM's own list of its options (as the launcher expanded argument files and {@code JDK_JAVA_OPTIONS}, with
     * {@code JAVA_TOOL_OPTIONS}; the last of an option counts), which Warden's start reads anyway: asking the
     * diagnostic MXBean would load a class the {@code jvm} surface instruments, in the middle of the start.
     */
    static List<Path> names() {
        try {
            return names(ManagementFactory.getRuntimeMXBean().getInputArguments(), ProcessHandle.current().pid(),
                    Path.of(dev.warden.bootstrap.file.JavaIoNames.workingDirectory()));
        } catch (RuntimeException | LinkageError unknown) {
            return List.of();
        }
    }

    static List<Path> names(List<String> jvmOptions, long pid, Path workingDirectory) {
        java.util.Set<String> dumps = new java.util.HashSet<>();
        String path = "";
        boolean gzipped = false;
        for (String option : jvmOptions) {
            if (DUMPS.contains(option)) {
                dumps.add(option);
            } else if (option.startsWith("-XX:-") && DUMPS.contains("-XX:+" + option.substring(5))) {
                dumps.remove("-XX:+" + option.substring(5));
            } else if (option.startsWith("-XX:HeapDumpPath=")) {
                path = option.substring("-XX:HeapDumpPath=".length());
            } else if (option.startsWith("-XX:HeapDumpGzipLevel=")) {
                gzipped = !option.substring("-XX:HeapDumpGzipLevel=".length()).equals("0");
            }
        }
        return dumps.isEmpty() ? List.of() : names(path, gzipped, pid, workingDirectory);
    }

    static List<Path> names(String heapDumpPath, boolean gzipped, long pid, Path workingDirectory) {
        String defaultName = "java_pid" + pid + (gzipped ? ".hprof.gz" : ".hprof");
        if (heapDumpPath == null || heapDumpPath.isEmpty()) {
            return List.of(workingDirectory.resolve(defaultName));
        }
        Path given = workingDirectory.resolve(heapDumpPath.replace("%p", Long.toString(pid)));
        List<Path> names = new ArrayList<>(List.of(given.resolve(defaultName)));
        if (!Files.isDirectory(given)) {
            names.add(given);
        }
        return names;
    }
}
