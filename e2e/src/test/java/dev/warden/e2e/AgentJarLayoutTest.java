package dev.warden.e2e;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent jar as built: its libraries nested uncompressed and unsigned (the agent jar compresses them as a whole), so
 * that a build's first start unpacks them by copying and every start reads their classes without inflating or
 * verifying them. A build that skipped the packing step would still run, only slower: this is where it shows.
 */
class AgentJarLayoutTest {

    @Test
    void everyNestedJarIsStoredUncompressedAndUnsignedWithoutDigestsInItsManifest() throws IOException {
        List<String> nested = new ArrayList<>();
        try (JarFile agent = new JarFile(HostJvm.agentJar().toFile())) {
            for (JarEntry jar : Collections.list(agent.entries())) {
                if (!jar.getName().startsWith("warden/") || !jar.getName().endsWith(".jar")) {
                    continue;
                }
                nested.add(jar.getName());
                try (InputStream in = agent.getInputStream(jar)) {
                    assertStoredAndUnsigned(jar.getName(), in.readAllBytes());
                }
            }
        }
        assertThat(nested).as("the jars nested in the agent jar")
                .contains("warden/bootstrap/warden-bootstrap.jar", "warden/lib/warden-agent-core.jar")
                .anyMatch(name -> name.startsWith("warden/lib/bcprov-")) // the signed one
                .hasSizeGreaterThan(20);
    }

    /** A build that did not pack would nest an earlier build's classes (its packed directory's), and run them. */
    @Test
    void theNestedCoreJarHoldsThisBuildsClasses() throws IOException {
        Path classes = HostJvm.agentJar().resolveSibling("classes");
        String agent = "dev/warden/agent/WardenAgent.class";
        try (JarFile jar = new JarFile(HostJvm.agentJar().toFile());
             InputStream core = jar.getInputStream(jar.getEntry("warden/lib/warden-agent-core.jar"));
             ZipInputStream in = new ZipInputStream(core)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(agent)) {
                    assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(classes.resolve(agent)));
                    return;
                }
            }
        }
        throw new AssertionError(agent + " is not in the nested warden-agent-core.jar");
    }

    /**
     * Warden's loader is reachable from host code, and what it holds is not instrumented: no library that calls native
     * code (Chronicle's POSIX layer's JNA and jnr-ffi back ends are excluded; docs/NATIVE.md) and no native library.
     */
    @Test
    void noNestedJarHoldsANativeAccessLibraryOrNativeCode() throws IOException {
        List<String> found = new ArrayList<>();
        try (JarFile agent = new JarFile(HostJvm.agentJar().toFile())) {
            for (JarEntry jar : Collections.list(agent.entries())) {
                if (!jar.getName().startsWith("warden/") || !jar.getName().endsWith(".jar")) {
                    continue;
                }
                try (ZipInputStream in = new ZipInputStream(agent.getInputStream(jar))) {
                    for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                        if (entry.getName().matches("(.*/)?(com/sun/jna|jnr/ffi|com/kenai/jffi)/.*|.*\\.(so(\\.\\d+)*|dll|dylib|jnilib)")) {
                            found.add(jar.getName() + "!" + entry.getName());
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    private static void assertStoredAndUnsigned(String name, byte[] jar) throws IOException {
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries++;
                assertThat(entry.getMethod()).as(name + "!" + entry.getName()).isEqualTo(ZipEntry.STORED);
                assertThat(entry.getName()).as(name).doesNotMatch("(?i)META-INF/[^/]+\\.(SF|RSA|DSA|EC)|META-INF/SIG-[^/]+");
                if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    Manifest manifest = new Manifest(in);
                    assertThat(manifest.getEntries().values()).as(name + "'s manifest sections")
                            .allSatisfy(section -> assertThat(section.keySet())
                                    .noneMatch(key -> key.toString().endsWith("-Digest")));
                }
            }
        }
        assertThat(entries).as(name).isPositive();
    }
}
