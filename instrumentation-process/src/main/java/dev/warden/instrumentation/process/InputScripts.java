package dev.warden.instrumentation.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Whether the script file an interpreter or a shell is given is its standard input in disguise: {@code /dev/stdin},
 * {@code /dev/fd/0}, {@code /proc/self/fd/0}, a link to one, or a FIFO, which the application writes the code into as
 * the child reads it. A review (2026-12-07) ran {@code python3 /dev/stdin} and {@code bash /dev/stdin} under a YAML
 * role's allow of each, which flagged {@code python3} and {@code bash} reading their input only when given no file.
 * A script file is a regular file outside {@code /dev} and {@code /proc}; one not there is none (the program fails).
 */
final class InputScripts {

    private InputScripts() {
    }

    /** {@code operand} resolved against {@code directory} (the child's, or null when unknown) is no regular script file. */
    static boolean isInput(String operand, Path directory) {
        try {
            Path given = directory == null ? Path.of(operand) : directory.resolve(operand);
            if (special(given.normalize())) {
                return true;
            }
            if (!Files.exists(given, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            try {
                Path real = given.toRealPath();
                return special(real) || !Files.isRegularFile(real);
            } catch (IOException e) {
                return true; // a link that leads nowhere this JVM can name (pipe:[...]): the child's reading is unknown
            }
        } catch (InvalidPathException | SecurityException e) {
            return true;
        }
    }

    private static boolean special(Path path) {
        return path.startsWith("/dev") || path.startsWith("/proc");
    }
}
