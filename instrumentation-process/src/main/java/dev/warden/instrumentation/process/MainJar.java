package dev.warden.instrumentation.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The agent a main jar starts: {@code java -jar app.jar} whose manifest names a {@code Launcher-Agent-Class} runs that
 * class's {@code agentmain} before {@code main}, with an {@code Instrumentation} of its own, beside Warden's agent
 * (which it can redefine away). Read as the launcher reads it: {@code LauncherHelper} opens the jar as a
 * {@link JarFile} and asks its manifest, so a second manifest entry or a name in another case is found alike.
 */
final class MainJar {

    static final String LAUNCHER_AGENT = "Launcher-Agent-Class";

    private MainJar() {
    }

    /**
     * @param arguments a JVM's arguments after the program; every {@code -jar} among them is read, as
     *                  {@link dev.warden.bootstrap.process.JavaHooks} reads every argument as an option
     * @param base      the directory the child starts in, against which a relative jar name leads
     * @return {@value #LAUNCHER_AGENT} when a named jar's manifest has one, or when a jar that exists cannot be read
     *         here as a regular file, or is named through {@code /proc/self} ({@link ProcSelf}): its manifest is then
     *         unknown; empty for a name that leads to no file, which the launcher refuses
     */
    static Optional<String> hook(List<String> arguments, Path base) {
        for (int i = 0; i + 1 < arguments.size(); i++) {
            if (arguments.get(i).equals("-jar") && startsAnAgent(arguments.get(i + 1), base)) {
                return Optional.of(LAUNCHER_AGENT);
            }
        }
        return Optional.empty();
    }

    private static boolean startsAnAgent(String name, Path base) {
        Path jar;
        try {
            jar = base.resolve(name);
        } catch (InvalidPathException unnamable) {
            return false; // no file has that name: the launcher cannot open it either
        }
        if (ProcSelf.on(jar)) {
            return true; // the child reads /proc/self as its own: the jar it opens is not known here
        }
        if (!Files.exists(jar)) {
            return false;
        }
        if (!Files.isRegularFile(jar)) {
            return true; // a directory, a FIFO (which would hold this thread until a writer came), a device: unknown
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue(LAUNCHER_AGENT) != null;
        } catch (IOException | RuntimeException unreadable) {
            // A file that is there but unreadable here may be readable by the child (another user, a race): unknown.
            return true;
        }
    }
}
