package dev.warden.agent.install;

import dev.warden.rules.cache.CacheDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class JdkTransformCacheTest {

    private static final byte[] ORIGINAL = "the JDK's class file".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ADVISED = "the class file with Warden's advice".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REBUILT = "the class file the JVM rebuilt otherwise".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ADVISED_REBUILT = "that one with Warden's advice".getBytes(StandardCharsets.UTF_8);
    private static final JdkTransforms TRANSFORMS = new JdkTransforms(
            Map.of("java.io.FileOutputStream", java.util.List.of(
                    new JdkTransforms.Transformed(JdkTransforms.digest(ORIGINAL), ADVISED),
                    new JdkTransforms.Transformed(JdkTransforms.digest(REBUILT), ADVISED_REBUILT))),
            Set.of("java.lang.String", "java.util.HashMap"));

    @TempDir
    Path directory;

    @Test
    void anEntryReadsBackAsItWasWritten() throws Exception {
        JdkTransformCache cache = new JdkTransformCache(CacheDirectory.open(directory), "this JDK and build");
        assertThat(cache.read()).isEqualTo(new JdkTransformCache.Lookup(null, null));

        cache.write(TRANSFORMS);

        assertThat(cache.read().rejected()).isNull();
        assertThat(cache.read().transforms()).isEqualTo(TRANSFORMS);
        assertThat(cache.file().getFileName().toString()).startsWith("jdk-").endsWith(".transforms");
    }

    @Test
    void aChangedEntryIsRejectedSayingWhy() throws Exception {
        JdkTransformCache cache = new JdkTransformCache(CacheDirectory.open(directory), "this JDK and build");
        cache.write(TRANSFORMS);
        byte[] bytes = Files.readAllBytes(cache.file());
        int advised = indexOf(bytes, ADVISED);
        bytes[advised + 5] ^= 1; // inside the advised class file
        Files.write(cache.file(), bytes);

        assertThat(cache.read().transforms()).isNull();
        assertThat(cache.read().rejected()).contains(cache.file().toString(), "does not match its MAC");

        Files.write(cache.file(), "not an entry".getBytes(StandardCharsets.UTF_8));
        assertThat(cache.read().rejected()).contains("is not a Warden transform cache entry");
    }

    @Test
    void anEntryMadeForAnotherJdkOrBuildIsRejectedUnderThisOnesName() throws Exception {
        CacheDirectory shared = CacheDirectory.open(directory);
        JdkTransformCache other = new JdkTransformCache(shared, "another JDK");
        JdkTransformCache mine = new JdkTransformCache(shared, "this JDK and build");
        other.write(TRANSFORMS);
        assertThat(other.file()).isNotEqualTo(mine.file());

        Files.copy(other.file(), mine.file());

        assertThat(mine.read().transforms()).isNull();
        assertThat(mine.read().rejected()).contains("does not match its MAC");
    }

    @Test
    void aClassIsReplayedOnlyForTheClassFileItWasMadeFrom() {
        assertThat(TRANSFORMS.replacing("java.io.FileOutputStream", ORIGINAL)).isEqualTo(ADVISED);
        assertThat(TRANSFORMS.replacing("java.io.FileOutputStream", REBUILT)).isEqualTo(ADVISED_REBUILT);
        assertThat(TRANSFORMS.replacing("java.io.FileOutputStream",
                "another agent's making of it".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(TRANSFORMS.replacing("java.io.FileInputStream", ORIGINAL)).isNull();
    }

    @Test
    void theEntryIsNamedForThisJdkBuildAndModules() throws Exception {
        String purpose = JdkTransformCache.purpose(java.util.List.of());
        CacheDirectory shared = CacheDirectory.open(directory);

        assertThat(purpose).contains(System.getProperty("java.home"), System.getProperty("java.vm.version"));
        assertThat(new JdkTransformCache(shared, purpose).file())
                .isNotEqualTo(new JdkTransformCache(shared, JdkTransformCache.purpose(java.util.List.of(
                        new dev.warden.instrumentation.file.FileInstrumentationModule()))).file());
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not in the entry");
    }
}
