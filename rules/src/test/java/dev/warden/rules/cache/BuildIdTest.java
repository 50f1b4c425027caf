package dev.warden.rules.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A build is its jars as written: the same jar is the same build, a jar written again is another. */
class BuildIdTest {

    @TempDir
    Path directory;

    @Test
    void theSameJarIsTheSameBuildAndAJarWrittenAgainIsAnother() throws Exception {
        Path jar = jarWith(BuildIdTest.class, directory.resolve("anchor.jar"));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T10:00:00Z")));
        String first = idOf(jar);
        assertThat(idOf(jar)).isEqualTo(first);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T10:00:01Z"))); // rebuilt, same size
        assertThat(idOf(jar)).isNotEqualTo(first);
    }

    private static Path jarWith(Class<?> type, Path jar) throws Exception {
        String name = type.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(name));
            try (var in = type.getClassLoader().getResourceAsStream(name)) {
                in.transferTo(out);
            }
        }
        return jar;
    }

    /** The build of the class as loaded from {@code jar} by a loader of its own (each call: a fresh view of the file). */
    private static String idOf(Path jar) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            return BuildId.of(Class.forName(BuildIdTest.class.getName(), false, loader));
        }
    }
}
