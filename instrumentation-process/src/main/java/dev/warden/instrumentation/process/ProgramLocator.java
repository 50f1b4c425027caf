package dev.warden.instrumentation.process;

import dev.warden.bootstrap.file.JavaIoNames;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the program a command names is: a name with a slash against the child's working directory
 * (or ours), a bare name along this process's {@code PATH}, which is the one the JDK searches, its empty
 * and relative entries from the child's working directory, as the JDK's search in the child takes them. The
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
        if (path == null) {
            path = ":/bin:/usr/bin"; // the JDK's search without a PATH (ProcessImpl's default path)
        }
        // An empty entry (a leading, doubled or trailing separator) is the working directory, as for the JDK's search.
        List<Path> directories = java.util.Arrays.stream(path.split(File.pathSeparator, -1))
                .map(entry -> entry.isEmpty() ? "." : entry).map(ProgramLocator::pathOrNull).filter(java.util.Objects::nonNull).toList();
        // Ours is the process's working directory, which the kernel resolves the child's relative names from, not the
        // user.dir property NIO resolves against (an operator's -Duser.dir names another directory; a review, 2026-12-07).
        return new ProgramLocator(directories, Path.of(JavaIoNames.workingDirectory()));
    }

    static String baseName(String program) {
        return program.substring(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1);
    }

    /** The directory the child starts in: its own, against ours when relative; null for one no path can name. */
    Path base(String directory) {
        try {
            return directory == null ? workingDirectory : workingDirectory.resolve(directory);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    String locate(String program, String directory) {
        if (program.isEmpty() || program.indexOf('\u0000') >= 0) {
            return null;
        }
        try {
            // The child changes to its directory before it looks for the program: a relative name, and a relative
            // entry of PATH, lead from there.
            Path base = base(directory);
            if (base == null) {
                return null;
            }
            if (program.indexOf('/') >= 0) {
                return executable(base.resolve(program));
            }
            for (Path directoryOnPath : searchPath) {
                String found = executable(base.resolve(directoryOnPath).resolve(program));
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
            // The child reads /proc/self as its own: what such a name leads to here is not what the child runs.
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate) && !ProcSelf.on(candidate)) {
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
