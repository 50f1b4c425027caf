package dev.warden.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real shared libraries for the native surface's tests, compiled with the machine's C compiler:
 * each one's constructor, run by the dynamic linker the moment the library is mapped, appends a line
 * to its own marker file. The marker is the side channel: it exists only if the library's code ran
 * in the host, whatever the host says.
 */
final class NativeLibraries {

    private static final String SOURCE = """
            #include <fcntl.h>
            #include <unistd.h>

            __attribute__((constructor)) static void warden_marker_loaded(void) {
                int fd = open(MARKER, O_WRONLY | O_CREAT | O_APPEND, 0600);
                if (fd >= 0) {
                    write(fd, "loaded\\n", 7);
                    close(fd);
                }
            }

            int warden_marker_answer(void) {
                return 42;
            }
            """;

    private final Path libraries;
    private final Path markers;
    private final Path source;

    NativeLibraries(Path workspace) throws IOException {
        libraries = Files.createDirectories(workspace.resolve("lib"));
        markers = Files.createDirectories(workspace.resolve("markers"));
        source = Files.writeString(workspace.resolve("marker.c"), SOURCE);
    }

    /** The directory of the libraries: {@code java.library.path} for {@code System.loadLibrary(name)}. */
    Path directory() {
        return libraries;
    }

    /** Compiles {@code lib<name>.so}, whose constructor writes the marker {@code name}. */
    Path build(String name) throws IOException, InterruptedException {
        return build(name, libraries.resolve("lib" + name + ".so"));
    }

    /** Compiles {@code library} (any path: libraries of one file name in several directories), whose constructor writes the marker {@code name}. */
    Path build(String name, Path library) throws IOException, InterruptedException {
        Files.createDirectories(library.getParent());
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", library.toString(),
                "-DMARKER=\"" + markers.resolve(name) + "\"", source.toString()).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IllegalStateException("gcc failed for " + name + ": " + output);
        }
        return library;
    }

    /** Whether the library {@code name}'s code ever ran in a process. */
    boolean ran(String name) {
        return Files.exists(markers.resolve(name));
    }

    /** The names of the libraries whose code ran. */
    List<String> ran() throws IOException {
        try (var files = Files.list(markers)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * JNA's native stub, copied out of the JNA jar into {@code directory} the way an operator
     * installs it ({@code -Djna.boot.library.path}), instead of JNA unpacking it to a temporary file.
     */
    static Path installJnaStub(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path stub = directory.resolve("libjnidispatch.so");
        try (InputStream in = com.sun.jna.Native.class.getResourceAsStream("/com/sun/jna/linux-x86-64/libjnidispatch.so")) {
            if (in == null) {
                throw new IllegalStateException("no linux-x86-64 jnidispatch in the JNA jar");
            }
            Files.copy(in, stub);
        }
        return stub;
    }
}
