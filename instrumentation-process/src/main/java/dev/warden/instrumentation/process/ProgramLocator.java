package dev.warden.instrumentation.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the program a command names is: a name with a slash against the child's working directory
 * (or ours), a bare name along this process's {@code PATH}, which is the one the JDK searches. The
 * result is the real path (symbolic links resolved: {@code /usr/bin/sh -> dash}), or null when no
 * executable file is there.
 */
final class ProgramLocator {

    private final List<Path> searchPath;
    private final Path workingDirectory;

    ProgramLocator(List<Path> searchPath, Path workingDirectory) {
        this.searchPath = List.copyOf(searchPath);
        this.workingDirectory = workingDirectory;
    }

    static ProgramLocator fromEnvironment() {
        String path = System.getenv("PATH");
        List<Path> directories = path == null ? List.of() : java.util.Arrays.stream(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty()).map(ProgramLocator::pathOrNull).filter(java.util.Objects::nonNull).toList();
        return new ProgramLocator(directories, Path.of("").toAbsolutePath());
    }

    static String baseName(String program) {
        return program.substring(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1);
    }

    String locate(String program, String directory) {
        if (program.isEmpty() || program.indexOf('\u0000') >= 0) {
            return null;
        }
        try {
            if (program.indexOf('/') >= 0) {
                Path base = directory == null ? workingDirectory : workingDirectory.resolve(directory);
                return executable(base.resolve(program));
            }
            for (Path directoryOnPath : searchPath) {
                String found = executable(workingDirectory.resolve(directoryOnPath).resolve(program));
                if (found != null) {
                    return found;
                }
            }
            return null;
        } catch (InvalidPathException | SecurityException e) {
            return null;
        }
    }

    private static String executable(Path candidate) {
        try {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toRealPath().toString();
            }
        } catch (java.io.IOException | SecurityException e) {
            // A loop of links, a vanished file: not found.
        }
        return null;
    }

    private static Path pathOrNull(String entry) {
        try {
            return Path.of(entry);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
