package dev.warden.agent.install;

import dev.warden.earlyloads.Fixtures.Plain;
import dev.warden.rules.cache.CacheDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.warden.earlyloads.Fixtures.classFile;
import static dev.warden.earlyloads.Fixtures.internalName;
import static org.assertj.core.api.Assertions.assertThat;

/** What a start learned loads at once while ByteBuddy is installed, at the next start, and only that. */
class EarlyPassesTest {

    private static final String PLAIN = internalName(Plain.class);

    @TempDir
    Path directory;

    @Test
    void aClassLearnedByOneStartPassesAtTheNextForItsVeryClassFileAlone() throws Exception {
        KeyedEntry entry = entry("this JDK and build");
        EarlyPasses first = EarlyPasses.read(entry);
        assertThat(first.passes(PLAIN, classFile(Plain.class))).as("nothing learned yet").isFalse();

        first.learn(PLAIN, classFile(Plain.class));
        first.keep(Thread::new).join();
        EarlyPasses next = EarlyPasses.read(entry);

        assertThat(next.passes(PLAIN, classFile(Plain.class))).isTrue();
        byte[] changed = classFile(Plain.class);
        changed[changed.length - 1] ^= 1;
        assertThat(next.passes(PLAIN, changed)).as("another class file under the same name").isFalse();
        assertThat(next.passes("com/example/Other", classFile(Plain.class))).as("another name").isFalse();
    }

    @Test
    void whatEarlierStartsLearnedIsKeptBesideWhatThisOneLearns() throws Exception {
        KeyedEntry entry = entry("this JDK and build");
        aStartLearning(entry, PLAIN);
        aStartLearning(entry, "com/example/Other");

        EarlyPasses third = EarlyPasses.read(entry);
        assertThat(third.passes(PLAIN, classFile(Plain.class))).isTrue();
        assertThat(third.passes("com/example/Other", classFile(Plain.class))).isTrue();
    }

    @Test
    void aStartThatLearnedNothingWritesNothing() throws Exception {
        KeyedEntry entry = entry("this JDK and build");

        assertThat(EarlyPasses.read(entry).keep(Thread::new)).isNull();

        assertThat(entry.file()).doesNotExist();
    }

    @Test
    void aStartThatAskedOnlyAboutClassesKeptBeforeWritesNothing() throws Exception {
        KeyedEntry entry = entry("this JDK and build");
        aStartLearning(entry, PLAIN);
        EarlyPasses second = EarlyPasses.read(entry);
        Files.delete(entry.file()); // a write would bring it back

        second.learn(PLAIN, classFile(Plain.class)); // asked about after the matchers were made
        second.keep(Thread::new).join();

        assertThat(entry.file()).doesNotExist();
    }

    @Test
    void aChangedEntryOrOneMadeForAnotherJdkOrBuildPassesNothing() throws Exception {
        KeyedEntry entry = entry("this JDK and build");
        aStartLearning(entry, PLAIN);
        byte[] bytes = Files.readAllBytes(entry.file());
        bytes[bytes.length - 1] ^= 1; // inside the last digest
        Files.write(entry.file(), bytes);

        assertThat(EarlyPasses.read(entry).passes(PLAIN, classFile(Plain.class))).isFalse();

        aStartLearning(entry, PLAIN);
        KeyedEntry another = entry("another JDK");
        Files.copy(entry.file(), another.file());
        assertThat(EarlyPasses.read(another).passes(PLAIN, classFile(Plain.class))).isFalse();
    }

    @Test
    void withoutACacheNothingIsLearnedOrPassed() throws Exception {
        EarlyPasses.NONE.learn(PLAIN, classFile(Plain.class));
        assertThat(EarlyPasses.NONE.keep(Thread::new)).isNull();

        assertThat(EarlyPasses.NONE.passes(PLAIN, classFile(Plain.class))).isFalse();
    }

    /** A start that read {@code entry}, asked about {@code className} (Plain's class file), found no target and kept it. */
    private static EarlyPasses aStartLearning(KeyedEntry entry, String className) throws Exception {
        EarlyPasses start = EarlyPasses.read(entry);
        start.learn(className, classFile(Plain.class));
        start.keep(Thread::new).join();
        return start;
    }

    private KeyedEntry entry(String purpose) throws Exception {
        return new KeyedEntry(CacheDirectory.open(directory), purpose, "early-", ".passes", "warden-early-passes/1\n", 4,
                "early passes entry");
    }
}
