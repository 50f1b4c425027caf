package dev.warden.instrumentation.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A class path that holds classes of Warden's agent. The JVM loads a {@code -javaagent}'s {@code Premain-Class} through
 * the system class loader, whose search puts the application's class path before the agent jar: a child JVM started
 * with {@code -cp <dir>} holding a {@code dev/warden/agent/launcher/WardenLauncher.class} of the agent's writing runs
 * that class as Warden's {@code premain}, so Warden never starts in it, though the child was said to carry it
 * (a review, 2026-12-07). Read where the launcher takes a class path from: {@code -cp}, {@code -classpath},
 * {@code --class-path}, {@code -Djava.class.path=}, the module path ({@code -p}, {@code --module-path}: a module holding
 * the package wins too), and {@code -jar}'s jar with its manifest's {@code Class-Path}. An entry that is there but
 * cannot be read here is unknown, so counted; one that is not there holds nothing.
 */
final class AgentShadow {

    static final String HOOK = "a class path holding Warden's agent classes";
    private static final String AGENT_CLASSES = "dev/warden/agent/";

    private AgentShadow() {
    }

    /**
     * @param arguments a JVM's arguments after the program, every one read as an option (as
     *                  {@link dev.warden.bootstrap.process.JavaHooks} reads them)
     * @param base      the directory the child starts in, against which relative entries lead
     */
    static Optional<String> hook(List<String> arguments, Path base) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            String next = i + 1 < arguments.size() ? arguments.get(i + 1) : null;
            List<String> entries = new ArrayList<>();
            boolean modules = false;
            if ((argument.equals("-cp") || argument.equals("-classpath") || argument.equals("--class-path")) && next != null) {
                entries.addAll(split(next));
            } else if (argument.startsWith("--class-path=")) {
                entries.addAll(split(argument.substring("--class-path=".length())));
            } else if (argument.startsWith("-Djava.class.path=")) {
                entries.addAll(split(argument.substring("-Djava.class.path=".length())));
            } else if ((argument.equals("-p") || argument.equals("--module-path")) && next != null) {
                entries.addAll(split(next));
                modules = true;
            } else if (argument.startsWith("--module-path=")) {
                entries.addAll(split(argument.substring("--module-path=".length())));
                modules = true;
            } else if (argument.equals("-jar") && next != null) {
                entries.add(next);
            }
            for (String entry : entries) {
                if (holdsAgentClasses(entry, base, modules, argument.equals("-jar"))) {
                    return Optional.of(HOOK);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> split(String path) {
        return List.of(path.split(File.pathSeparator, -1)); // an empty entry is the working directory
    }

    private static boolean holdsAgentClasses(String name, Path base, boolean modules, boolean mainJar) {
        Path entry;
        try {
            entry = name.endsWith("*") ? base.resolve(name.substring(0, name.length() - 1)) : base.resolve(name);
        } catch (InvalidPathException unnamable) {
            return false;
        }
        // What cannot be known here counts, but for a main jar, which MainJar already counts (Launcher-Agent-Class).
        boolean unknown = !mainJar;
        if (ProcSelf.on(entry)) {
            return unknown; // the child reads /proc/self as its own: not known here
        }
        if (!Files.exists(entry)) {
            return false;
        }
        try {
            if (Files.isDirectory(entry)) {
                if (Files.exists(entry.resolve(AGENT_CLASSES))) {
                    return true;
                }
                if (name.endsWith("*") || modules) {
                    // every jar of a wildcard entry; every module (a jar or an exploded directory) of a module path
                    try (DirectoryStream<Path> children = Files.newDirectoryStream(entry)) {
                        for (Path child : children) {
                            if (Files.isDirectory(child) ? modules && Files.exists(child.resolve(AGENT_CLASSES)) : jarHolds(child, false)) {
                                return true;
                            }
                        }
                    }
                }
                return false;
            }
            return Files.isRegularFile(entry) ? jarHolds(entry, mainJar) : unknown; // a FIFO or a device: unknown
        } catch (IOException | RuntimeException unreadable) {
            return unknown; // there, but not readable here: the child may read it
        }
    }

    /** Whether a jar holds the agent's classes, or, for a main jar, one its manifest's {@code Class-Path} names does. */
    private static boolean jarHolds(Path jar, boolean mainJar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return true; // a FIFO or a device: unknown
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                if (entries.nextElement().getName().startsWith(AGENT_CLASSES)) {
                    return true;
                }
            }
            Manifest manifest = mainJar ? file.getManifest() : null;
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath != null) {
                for (String relative : classPath.trim().split("\\s+")) {
                    if (!relative.isEmpty() && holdsAgentClasses(relative, jar.getParent(), false, false)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
