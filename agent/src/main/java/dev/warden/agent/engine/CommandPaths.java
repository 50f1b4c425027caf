package dev.warden.agent.engine;

import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.RealPath;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The paths a process start names, as the child will reach them: the directory it starts in (the one given, against
 * this JVM's, or this JVM's own) and every argument, and what follows the first {@code =} in one ({@code --out=dir}),
 * read as a path from that directory, walked as the kernel walks it ({@link RealPath}). Each is there as the name
 * itself (a {@code rm} or {@code mv} acts on a link) and, when that is a symbolic link, as where it leads (a write
 * goes through it). A child is another process: what it writes passes no {@code file} decision, so what it is told
 * to work on is all an in-process gate can read of where it will write. A path it builds itself (a script, a
 * relative path run into an option, {@code -o../x}) is not read here.
 */
final class CommandPaths {

    private CommandPaths() {
    }

    /** The child's working directory, resolved; null when no path can name it. */
    static String directory(ActionDescription action, Path jvmDirectory) {
        String base = base(action, jvmDirectory);
        return base == null ? null : RealPath.resolve(base, true).path();
    }

    /** Every argument (and its value after {@code =}) as a path from the child's directory, distinct, resolved. */
    static Set<String> arguments(ActionDescription action, Path jvmDirectory) {
        Set<String> named = new LinkedHashSet<>();
        for (String written : written(action, jvmDirectory)) {
            RealPath name = RealPath.resolve(written, false);
            named.add(name.path());
            if (isSymbolicLink(name.path())) {
                named.add(RealPath.resolve(name.path(), true).path());
            }
        }
        return named;
    }

    /**
     * The child's directory, as written (against this JVM's when relative, this JVM's when not given): not normalised,
     * no link followed (what {@code /proc/self} names depends on who walks it). Null when no path can name it.
     */
    static String writtenDirectory(ActionDescription action, Path jvmDirectory) {
        return base(action, jvmDirectory);
    }

    /** Every argument (and its value after {@code =}) as an absolute path from the child's directory, as written. */
    static Set<String> written(ActionDescription action, Path jvmDirectory) {
        String base = base(action, jvmDirectory);
        Set<String> written = new LinkedHashSet<>(); // an agent's 100,000 equal arguments are one walk
        if (base == null) {
            return written;
        }
        for (String argument : arguments(action)) {
            String value = argument.indexOf('=') >= 0 ? argument.substring(argument.indexOf('=') + 1) : null;
            for (String candidate : value == null ? List.of(argument) : List.of(argument, value)) {
                if (!candidate.isEmpty()) {
                    written.add(candidate.startsWith("/") ? candidate : base + "/" + candidate);
                }
            }
        }
        return written;
    }

    /** The arguments after the program, as the child gets them. */
    static List<String> arguments(ActionDescription action) {
        if (!(action.attributes().get("process.command") instanceof Collection<?> command) || command.isEmpty()) {
            return List.of();
        }
        List<String> arguments = new ArrayList<>(command.size());
        command.stream().skip(1).map(String::valueOf).forEach(arguments::add);
        return arguments;
    }

    private static String base(ActionDescription action, Path jvmDirectory) {
        Object given = action.attributes().get("process.directory");
        if (!(given instanceof String directory) || directory.isEmpty()) {
            return jvmDirectory.toString();
        }
        return directory.startsWith("/") ? directory : jvmDirectory + "/" + directory;
    }

    private static boolean isSymbolicLink(String path) {
        try {
            return Files.isSymbolicLink(Path.of(path));
        } catch (InvalidPathException notAPath) {
            return false;
        }
    }
}
