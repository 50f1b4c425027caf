package dev.warden.agent.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A step of the agent's build (agent/pom.xml, before the agent jar is assembled): the jars to nest in it, made
 * uncompressed and unsigned ({@link UnsignedStoredJar}). The agent jar compresses them as a whole, which makes it
 * smaller than nesting the libraries' own compressed jars, and a build's first start unpacks them by copying: it had
 * inflated and rewritten every entry of every library, 1.6 s of a new build's start on a 2-core machine.
 *
 * <p>Arguments: the directory of the jars to nest, the directory to write them to (emptied first, so that it holds
 * this build's jars and nothing else), then pairs of a jar and the name under the second directory it is written to.
 */
public final class PackNestedJars {

    private PackNestedJars() {
    }

    public static void main(String[] arguments) throws IOException {
        if (arguments.length < 2 || arguments.length % 2 != 0) {
            throw new IllegalArgumentException("usage: PackNestedJars FROM TO [JAR NAME]...");
        }
        Path from = Path.of(arguments[0]);
        Path to = Path.of(arguments[1]);
        if (!Files.isDirectory(from)) {
            throw new IllegalArgumentException("no directory of jars to nest: " + from.toAbsolutePath());
        }
        empty(to);
        for (Path jar : jarsUnder(from)) {
            pack(jar, to.resolve(from.relativize(jar)));
        }
        for (int i = 2; i < arguments.length; i += 2) {
            pack(Path.of(arguments[i]), to.resolve(arguments[i + 1]));
        }
    }

    private static List<Path> jarsUnder(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> Files.isRegularFile(file) && file.getFileName().toString().endsWith(".jar"))
                    .sorted().toList();
        }
    }

    private static void empty(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(directory);
    }

    private static void pack(Path jar, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = Files.newInputStream(jar)) {
            UnsignedStoredJar.write(in, target);
        }
    }
}
