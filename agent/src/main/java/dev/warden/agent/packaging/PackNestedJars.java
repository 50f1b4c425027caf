package dev.warden.agent.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A step of the agent's build (agent/pom.xml, before the agent jar is assembled): the jars to nest in it, made
 * uncompressed and unsigned ({@link UnsignedStoredJar}). The agent jar compresses them as a whole, which makes it
 * smaller than nesting the libraries' own compressed jars, and a build's first start unpacks them by copying: it had
 * inflated and rewritten every entry of every library, 1.6 s of a new build's start on a 2-core machine.
 *
 * <p>Arguments: the directory of the jars to nest, rewritten in place; then pairs of a jar and the name under that
 * directory it is written to.
 */
public final class PackNestedJars {

    private PackNestedJars() {
    }

    public static void main(String[] arguments) throws IOException {
        if (arguments.length == 0 || arguments.length % 2 == 0) {
            throw new IllegalArgumentException("usage: PackNestedJars DIRECTORY [JAR NAME]...");
        }
        Path directory = Path.of(arguments[0]);
        for (Path jar : jarsUnder(directory)) {
            rewrite(jar, jar);
        }
        for (int i = 1; i < arguments.length; i += 2) {
            Path target = directory.resolve(arguments[i + 1]);
            Files.createDirectories(target.getParent());
            rewrite(Path.of(arguments[i]), target);
        }
    }

    private static List<Path> jarsUnder(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> Files.isRegularFile(file) && file.getFileName().toString().endsWith(".jar"))
                    .sorted().toList();
        }
    }

    /** Through a file beside the target, so that a build stopped half-way leaves no jar cut short. */
    private static void rewrite(Path jar, Path target) throws IOException {
        Path written = target.resolveSibling(target.getFileName() + ".stored");
        try (InputStream in = Files.newInputStream(jar)) {
            UnsignedStoredJar.write(in, written);
        }
        Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
