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
 * Warden's secrets ({@link OwnFiles#secrets}), which no host action opens, copies or links.
 * <p>
 * Named as HotSpot names it: {@code HeapDumpPath} with {@code %p} as the process id, or {@code java_pid<pid>.hprof}
 * (in that directory, or in the process's working directory without one), {@code .hprof.gz} when
 * {@code HeapDumpGzipLevel} is set. HotSpot asks whether the path is a directory only when it dumps, so both readings
 * of a path are kept.
 */
final class HeapDumpFile {

    private HeapDumpFile() {
    }

    /** The names the dump may take, or none when no dump on an {@code OutOfMemoryError} is asked for. */
    static List<Path> names() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean flags =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (flags == null || !"true".equals(flags.getVMOption("HeapDumpOnOutOfMemoryError").getValue())) {
                return List.of();
            }
            String gzip = flags.getVMOption("HeapDumpGzipLevel").getValue();
            return names(flags.getVMOption("HeapDumpPath").getValue(), gzip != null && !gzip.equals("0"),
                    ProcessHandle.current().pid(), Path.of(dev.warden.bootstrap.file.JavaIoNames.workingDirectory()));
        } catch (RuntimeException | LinkageError unknown) {
            return List.of(); // a JVM without these flags (not HotSpot) writes no such dump
        }
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
