package dev.warden.agent.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The index names, for any resource, the jars that may hold it: by directory, and under META-INF by name. */
class JarIndexTest {

    @TempDir
    Path directory;

    @Test
    void resourcesAreFoundByDirectoryAndMetaInfByName() throws IOException {
        Path first = jar("first.jar", "org/example/A.class", "META-INF/services/example.Service");
        Path second = jar("second.jar", "org/example/B.class", "org/other/C.class", "META-INF/MANIFEST.MF");
        JarIndex.write(directory, List.of(first, second));

        JarIndex index = JarIndex.read(directory);

        assertThat(index.jars()).containsExactly("first.jar", "second.jar");
        assertThat(index.jarsHolding("org/example/Anything.class")).containsExactly(0, 1);
        assertThat(index.jarsHolding("org/other/C.class")).containsExactly(1);
        assertThat(index.jarsHolding("META-INF/services/example.Service")).containsExactly(0);
        assertThat(index.jarsHolding("META-INF/services/another.Service")).isEmpty();
        assertThat(index.jarsHolding("nowhere/D.class")).isEmpty();
    }

    @Test
    void aVersionedEntryCountsUnderItsBaseNameToo() throws IOException {
        Path multi = jar("multi.jar", "META-INF/versions/11/org/only/InEleven.class");
        JarIndex.write(directory, List.of(multi));

        JarIndex index = JarIndex.read(directory);

        assertThat(index.jarsHolding("org/only/InEleven.class")).containsExactly(0);
        assertThat(index.jarsHolding("META-INF/versions/11/org/only/InEleven.class")).containsExactly(0);
    }

    @Test
    void anIndexThatDoesNotParseIsRefused() throws IOException {
        Files.writeString(directory.resolve(JarIndex.FILE), "only.jar\norg/example\t3\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JarIndex.read(directory)).isInstanceOf(IOException.class).hasMessageContaining("names no indexed jar");

        Files.writeString(directory.resolve(JarIndex.FILE), "only.jar\norg/example\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JarIndex.read(directory)).isInstanceOf(IOException.class).hasMessageContaining("unreadable line");

        Files.writeString(directory.resolve(JarIndex.FILE), "", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JarIndex.read(directory)).isInstanceOf(IOException.class).hasMessageContaining("names no jars");
    }

    private Path jar(String name, String... entries) throws IOException {
        Path jar = directory.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.write(1);
            }
        }
        return jar;
    }
}
