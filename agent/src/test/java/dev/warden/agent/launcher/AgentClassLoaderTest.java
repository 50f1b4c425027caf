package dev.warden.agent.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Warden's loader finds classes and resources in the jars its index names, as a URLClassLoader over them would. */
class AgentClassLoaderTest {

    @TempDir
    Path directory;

    /** Defined again, apart, by the loader under test: its parent cannot see the test's classes. */
    public static final class Example {
        @Override
        public String toString() {
            return "example";
        }
    }

    @Test
    void aClassInTheLastJarIsDefinedWithItsJarsCodeSourceAndManifest() throws Exception {
        Path first = jar("first.jar", null, "first/Data.txt", "first");
        Path last = jar("last.jar", "7.1", classFile(Example.class), null);
        AgentClassLoader loader = loader(first, last);
        try {
            Class<?> example = loader.loadClass(Example.class.getName());

            assertThat(example).isNotSameAs(Example.class);
            assertThat(example.getClassLoader()).isSameAs(loader);
            assertThat(example.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(last.toUri().toURL());
            assertThat(example.getPackage().getImplementationVersion()).isEqualTo("7.1");
            assertThat(example.getDeclaredConstructor().newInstance()).hasToString("example");
        } finally {
            loader.release();
        }
    }

    @Test
    void aNameNoJarHoldsIsNotFound() throws Exception {
        Path only = jar("only.jar", null, "some/Data.txt", "data");
        AgentClassLoader loader = loader(only);
        try {
            assertThatThrownBy(() -> loader.loadClass("some.Missing")).isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("elsewhere.Missing")).isInstanceOf(ClassNotFoundException.class);
            assertThat(loader.getResource("some/Missing.txt")).isNull();
            assertThat(loader.getResource("META-INF/services/none")).isNull();
        } finally {
            loader.release();
        }
    }

    @Test
    void onlyWhatTheIndexNamesIsLookedFor() throws Exception {
        Path jar = jar("only.jar", null, "listed/Data.txt", "listed");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(null))) {
            put(out, "listed/Data.txt", "listed");
            put(out, "unlisted/Data.txt", "unlisted");
        }
        // An index written by hand that leaves out the second directory: a URLClassLoader would find it.
        Files.writeString(directory.resolve(JarIndex.FILE), "only.jar\nlisted\t0\n", StandardCharsets.UTF_8);

        AgentClassLoader loader = new AgentClassLoader(new Path[] {jar}, JarIndex.read(directory));
        try {
            assertThat(read(loader.getResource("listed/Data.txt"))).isEqualTo("listed");
            assertThat(loader.getResource("unlisted/Data.txt")).isNull();
        } finally {
            loader.release();
        }
    }

    @Test
    void aJarTheIndexDoesNotNameIsRefusedAtOnce() throws Exception {
        Path indexed = jar("indexed.jar", null, "some/Data.txt", "data");
        Path other = jar("other.jar", null, "other/Data.txt", "other");
        JarIndex.write(directory, List.of(indexed));

        assertThatThrownBy(() -> new AgentClassLoader(new Path[] {indexed, other}, JarIndex.read(directory)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.jar");
    }

    @Test
    void aClosedLoaderServesNothingMore() throws Exception {
        Path jar = jar("only.jar", null, "some/Data.txt", "data");
        AgentClassLoader loader = loader(jar);
        loader.close();
        assertThat(read(loader.getResource("some/Data.txt"))).as("closing it, as host code may, changes nothing").isEqualTo("data");
        loader.release();

        assertThat(loader.getResource("some/Data.txt")).isNull();
        assertThatThrownBy(() -> loader.loadClass("some.Data")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aJarOpenedOnceTheAgentStartedStillServesItsClassesAfterItsFileIsRemoved() throws Exception {
        Path first = jar("first.jar", null, "first/Data.txt", "first");
        Path last = jar("last.jar", null, classFile(Example.class), null);
        AgentClassLoader loader = loader(first, last);
        try {
            assertThat(loader.openRemaining()).isEmpty();
            Files.delete(last);

            assertThat(loader.loadClass(Example.class.getName()).getDeclaredConstructor().newInstance()).hasToString("example");
        } finally {
            loader.release();
        }
    }

    @Test
    void aJarNotYetOpenedWhenItsFileIsRemovedTakesItsClassesWithIt() throws Exception {
        Path first = jar("first.jar", null, "first/Data.txt", "first");
        Path last = jar("last.jar", null, classFile(Example.class), null);
        AgentClassLoader loader = loader(first, last);
        try {
            Files.delete(last);

            assertThat(loader.openRemaining()).singleElement().asString().startsWith(last + ": ");
            assertThatThrownBy(() -> loader.loadClass(Example.class.getName())).isInstanceOf(ClassNotFoundException.class);
        } finally {
            loader.release();
        }
    }

    @Test
    void everyJarHoldingAServiceFileIsFoundInClassPathOrder() throws Exception {
        Path a = jar("a.jar", null, "META-INF/services/example.Service", "from a");
        Path b = jar("b.jar", null, "other/Data.txt", "b");
        Path c = jar("c.jar", null, "META-INF/services/example.Service", "from c");
        AgentClassLoader loader = loader(a, b, c);
        try {
            List<URL> found = Collections.list(loader.getResources("META-INF/services/example.Service"));

            assertThat(found).hasSize(2);
            assertThat(read(found.get(0))).isEqualTo("from a");
            assertThat(read(found.get(1))).isEqualTo("from c");
            assertThat(read(loader.getResource("META-INF/services/example.Service"))).isEqualTo("from a");
            assertThat(read(loader.getResource("other/Data.txt"))).isEqualTo("b");
        } finally {
            loader.release();
        }
    }

    @Test
    void theLoadersOwnOrderDecidesWhichJarServesANameTwoHold() throws Exception {
        Path a = jar("a.jar", null, "shared/Data.txt", "from a");
        Path b = jar("b.jar", null, "shared/Data.txt", "from b");
        JarIndex.write(directory, List.of(a, b));

        AgentClassLoader loader = new AgentClassLoader(new Path[] {b, a}, JarIndex.read(directory));
        try {
            assertThat(read(loader.getResource("shared/Data.txt"))).isEqualTo("from b");
            assertThat(Collections.list(loader.getResources("shared/Data.txt"))).hasSize(2);
        } finally {
            loader.release();
        }
        loader = new AgentClassLoader(new Path[] {b}, JarIndex.read(directory));
        try {
            assertThat(Collections.list(loader.getResources("shared/Data.txt"))).as("a jar the loader was not given")
                    .hasSize(1);
        } finally {
            loader.release();
        }
    }

    @Test
    void aMultiReleaseJarServesTheVersionForTheRunningJdk() throws Exception {
        Path jar = directory.resolve("multi.jar");
        Manifest manifest = manifest(null);
        manifest.getMainAttributes().put(new Attributes.Name("Multi-Release"), "true");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            put(out, "data/Which.txt", "base");
            put(out, "META-INF/versions/9/data/Which.txt", "nine");
            put(out, "META-INF/versions/9/only/InNine.txt", "only in nine");
        }
        AgentClassLoader loader = loader(jar);
        try {
            assertThat(read(loader.getResource("data/Which.txt"))).isEqualTo("nine");
            assertThat(read(loader.getResource("only/InNine.txt"))).isEqualTo("only in nine");
        } finally {
            loader.release();
        }
    }

    @Test
    void aNameWithCharactersAUrlMustEscapeIsFound() throws Exception {
        Path jar = jar("odd.jar", null, "odd dir/a#b%c.txt", "odd");
        AgentClassLoader loader = loader(jar);
        try {
            assertThat(read(loader.getResource("odd dir/a#b%c.txt"))).isEqualTo("odd");
        } finally {
            loader.release();
        }
    }

    private AgentClassLoader loader(Path... jars) throws IOException {
        JarIndex.write(directory, List.of(jars));
        return new AgentClassLoader(jars, JarIndex.read(directory));
    }

    /** {@code name} with {@code content}, or a class file when {@code content} is null (name is then its path). */
    private Path jar(String file, String version, Object name, String content) throws IOException {
        Path jar = directory.resolve(file);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(version))) {
            if (name instanceof ClassFile classFile) {
                out.putNextEntry(new JarEntry(classFile.path()));
                out.write(classFile.bytes());
            } else {
                put(out, (String) name, content);
            }
        }
        return jar;
    }

    private static Manifest manifest(String version) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (version != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        }
        return manifest;
    }

    private static void put(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
    }

    private record ClassFile(String path, byte[] bytes) {
    }

    private static ClassFile classFile(Class<?> type) throws IOException {
        String path = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            return new ClassFile(path, in.readAllBytes());
        }
    }

    private static String read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
