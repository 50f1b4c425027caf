package dev.warden.agent.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The build's step that makes the jars to nest uncompressed and unsigned, so that a first start unpacks them by copying. */
class PackNestedJarsTest {

    private static final long ENTRY_TIME = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path workspace;

    @Test
    void everyJarUnderTheDirectoryIsWrittenUncompressedAndUnsignedWithItsClassesAndManifestKept() throws IOException {
        signedLookingJar(workspace.resolve("nested/warden/lib/library.jar"), "library");
        signedLookingJar(workspace.resolve("nested/warden/bootstrap/warden-bootstrap.jar"), "boot");

        PackNestedJars.main(new String[] {workspace.resolve("nested").toString(), workspace.resolve("packed").toString()});

        assertStoredAndUnsigned(workspace.resolve("packed/warden/lib/library.jar"), "library");
        assertStoredAndUnsigned(workspace.resolve("packed/warden/bootstrap/warden-bootstrap.jar"), "boot");
    }

    @Test
    void aJarNamedAfterTheDirectoriesIsWrittenUnderTheSecondAndTheOriginalLeftAsItWas() throws IOException {
        Path core = signedLookingJar(workspace.resolve("warden-agent-0.1.0.jar"), "core");
        byte[] original = Files.readAllBytes(core);
        Files.createDirectories(workspace.resolve("nested"));

        PackNestedJars.main(new String[] {workspace.resolve("nested").toString(), workspace.resolve("packed").toString(),
                core.toString(), "warden/lib/warden-agent-core.jar"});

        assertStoredAndUnsigned(workspace.resolve("packed/warden/lib/warden-agent-core.jar"), "core");
        assertThat(core).hasBinaryContent(original);
    }

    @Test
    void whatAnEarlierBuildPackedIsGoneAndOnlyThisBuildsJarsAreLeft() throws IOException {
        signedLookingJar(workspace.resolve("nested/warden/lib/library-2.jar"), "library");
        signedLookingJar(workspace.resolve("packed/warden/lib/library-1.jar"), "an earlier version");
        Files.writeString(workspace.resolve("packed/warden/lib/library-2.jar.part"), "a build stopped half-way");

        PackNestedJars.main(new String[] {workspace.resolve("nested").toString(), workspace.resolve("packed").toString()});

        try (var left = Files.walk(workspace.resolve("packed"))) {
            assertThat(left.filter(Files::isRegularFile).map(file -> workspace.resolve("packed").relativize(file).toString()))
                    .containsExactly("warden/lib/library-2.jar");
        }
    }

    @Test
    void aMissingDirectoryOfJarsOrAJarWithoutANameIsRefused() {
        assertThatThrownBy(() -> PackNestedJars.main(new String[] {workspace.resolve("absent").toString(),
                workspace.resolve("packed").toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no directory of jars to nest");
        assertThatThrownBy(() -> PackNestedJars.main(new String[] {"nested", "packed", "core.jar"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage");
        assertThatThrownBy(() -> PackNestedJars.main(new String[] {"nested"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage");
        assertThat(workspace.resolve("packed")).doesNotExist();
    }

    private static void assertStoredAndUnsigned(Path jar, String content) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.stream().map(ZipEntry::getName)).containsExactly("META-INF/MANIFEST.MF", "dev/Example.class");
            assertThat(file.stream()).allSatisfy(entry -> {
                assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED);
                assertThat(entry.getTime()).isEqualTo(ENTRY_TIME);
            });
            Manifest manifest = file.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            assertThat(manifest.getEntries()).containsOnlyKeys("dev/");
            assertThat(new String(file.getInputStream(file.getEntry("dev/Example.class")).readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(content.repeat(100));
        }
    }

    /** A compressed, signed-looking jar: a manifest with a digest section, signature files, one class. */
    private static Path signedLookingJar(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Multi-Release", "true");
        manifest.getEntries().computeIfAbsent("dev/Example.class", name -> new Attributes()).putValue("SHA-256-Digest", "AAAA");
        manifest.getEntries().computeIfAbsent("dev/", name -> new Attributes()).putValue("Implementation-Version", "7");
        try (OutputStream written = Files.newOutputStream(file); JarOutputStream out = new JarOutputStream(written)) {
            out.putNextEntry(entry("META-INF/MANIFEST.MF"));
            manifest.write(out);
            out.putNextEntry(entry("META-INF/SIGNER.SF"));
            out.write("Signature-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(entry("META-INF/SIGNER.RSA"));
            out.write(new byte[] {1, 2, 3});
            out.putNextEntry(entry("META-INF/other.sf"));
            out.write("Signature-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(entry("dev/Example.class"));
            out.write(content.repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static JarEntry entry(String name) {
        JarEntry entry = new JarEntry(name);
        entry.setTime(ENTRY_TIME);
        return entry;
    }
}
