package dev.warden.agent.install;

import dev.warden.earlyloads.Fixtures;
import dev.warden.earlyloads.Fixtures.Implementing;
import dev.warden.earlyloads.Fixtures.LooksLikeAStatement;
import dev.warden.earlyloads.Fixtures.Plain;
import dev.warden.earlyloads.Fixtures.ReturnsItsOwnRows;
import org.junit.jupiter.api.Test;

import dev.warden.rules.cache.CacheDirectory;
import org.junit.jupiter.api.io.TempDir;

import java.lang.instrument.ClassFileTransformer;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.warden.earlyloads.Fixtures.classFile;
import static dev.warden.earlyloads.Fixtures.internalName;
import static org.assertj.core.api.Assertions.assertThat;

/** Warden's first transformer, before and after ByteBuddy's is handed to it. */
class HoldingTransformerTest {

    private static final byte[] TRANSFORMED = {1, 2, 3};
    private static final EarlyLoads EARLY = EarlyLoads.of(Fixtures.modules());

    static {
        EARLY.prepare();
    }

    @TempDir
    Path cache;
    /** Warden's loader: none of these classes are its. */
    private final HoldingTransformer holding = new HoldingTransformer(new ClassLoader(null) { }, EARLY.jdkTargets());
    private final List<String> handedNames = new ArrayList<>();
    private final ClassFileTransformer byteBuddy = new ClassFileTransformer() {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] classFile) {
            handedNames.add(className);
            return TRANSFORMED;
        }
    };
    private final ClassLoader application = getClass().getClassLoader();
    private final Module unnamed = application.getUnnamedModule();

    @Test
    void beforeHoldingItPassesEveryClassAndKeepsTheClassFileOfAJdkTarget() throws Exception {
        byte[] fileOutputStream = classFile(java.io.FileOutputStream.class);

        assertThat(holding.transform(unnamed, application, internalName(Implementing.class), null, null, classFile(Implementing.class)))
                .isNull();
        assertThat(holding.transform(Object.class.getModule(), null, "java/io/FileOutputStream", null, null, fileOutputStream))
                .as("a copy, so the JVM keeps the class file").isEqualTo(fileOutputStream).isNotSameAs(fileOutputStream);
        assertThat(holding.transform(Object.class.getModule(), null, "java/util/ArrayList", null, null, classFile(ArrayList.class)))
                .isNull();
    }

    @Test
    void holdingAClassThatMayBeATargetWaitsForByteBuddyAndIsTransformedByIt() throws Exception {
        holding.hold(EARLY, JdkTransforms.NONE, EarlyPasses.NONE, TimeUnit.MINUTES.toNanos(5), Set.of());
        byte[] implementing = classFile(Implementing.class);
        CompletableFuture<byte[]> held = waitingLoad(internalName(Implementing.class), implementing);

        assertThat(held).isNotDone();
        assertThat(holding.transform(unnamed, application, internalName(Plain.class), null, null, classFile(Plain.class)))
                .as("no target: loads at once").isNull();
        holding.hand(byteBuddy);

        assertThat(held.get(1, TimeUnit.MINUTES)).isEqualTo(TRANSFORMED);
        assertThat(handedNames).containsExactly(internalName(Implementing.class));
        assertThat(holding.held()).as("loads that waited").isEqualTo(1);
    }

    /** Its answer is not a function of its own class file: kept, it could answer wrongly for a start of another. */
    @Test
    void aClassWhoseAnswerNeedsAnotherClassFileWaitsForByteBuddyAndIsNotKept() throws Exception {
        EarlyPasses passes = EarlyPasses.read(passesEntry());
        holding.hold(EARLY, JdkTransforms.NONE, passes, TimeUnit.MINUTES.toNanos(5), Set.of());
        CompletableFuture<byte[]> held = waitingLoad(internalName(ReturnsItsOwnRows.class), classFile(ReturnsItsOwnRows.class));

        holding.hand(byteBuddy);

        assertThat(held.get(1, TimeUnit.MINUTES)).isEqualTo(TRANSFORMED);
        assertThat(passes.keep(Thread::new)).as("nothing learned").isNull();
    }

    @Test
    void aPassingThreadIsNotHeld() throws Exception {
        holding.hold(EARLY, JdkTransforms.NONE, EarlyPasses.NONE, TimeUnit.MINUTES.toNanos(5), Set.of(Thread.currentThread()));

        assertThat(holding.transform(unnamed, application, internalName(Implementing.class), null, null, classFile(Implementing.class)))
                .isNull();
    }

    /**
     * Once main goes on, only the installing thread passes: a JDK target it loads with no earlier result, and that the
     * check before main did not see, runs unadvised until ByteBuddy's install transforms what is loaded, and is said.
     */
    @Test
    void aTargetThePassingThreadLoadsUnadvisedIsSaidUnlessTheCheckBeforeMainSawIt() throws Exception {
        holding.hold(EARLY, JdkTransforms.NONE, EarlyPasses.NONE, TimeUnit.MINUTES.toNanos(5), Set.of(Thread.currentThread()));
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            holding.transform(Object.class.getModule(), null, "java/io/FileOutputStream", null, null,
                    classFile(java.io.FileOutputStream.class));
            holding.transform(Object.class.getModule(), null, "java/io/FileInputStream", null, null,
                    classFile(java.io.FileInputStream.class));
            assertThat(said.toString(java.nio.charset.StandardCharsets.UTF_8)).as("main has not gone on").isEmpty();

            holding.mainLetGo(Set.of("java.io.FileOutputStream"));
            holding.transform(Object.class.getModule(), null, "java/io/RandomAccessFile", null, null,
                    classFile(java.io.RandomAccessFile.class));
        } finally {
            System.setErr(err);
        }

        assertThat(said.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList())
                .as("the check saw FileOutputStream loaded: it fell back to installing before main had it been unadvised")
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("loaded java.io.FileInputStream with no earlier result"))
                .anySatisfy(line -> assertThat(line).contains("loaded java.io.RandomAccessFile with no earlier result"));
    }

    @Test
    void aJdkClassIsGivenWhatAnEarlierInstallMadeOfItsVeryClassFile() throws Exception {
        byte[] original = classFile(java.io.FileOutputStream.class);
        JdkTransforms known = new JdkTransforms(java.util.Map.of("java.io.FileOutputStream",
                List.of(new JdkTransforms.Transformed(JdkTransforms.digest(original), TRANSFORMED))), Set.of());
        holding.hold(EARLY, known, EarlyPasses.NONE, TimeUnit.MINUTES.toNanos(5), Set.of());

        assertThat(holding.transform(Object.class.getModule(), null, "java/io/FileOutputStream", null, null, original))
                .isEqualTo(TRANSFORMED);
        assertThat(holding.replayed()).containsExactly("java.io.FileOutputStream");
    }

    /**
     * ByteBuddy's install leaves the replayed classes alone only once the retransformation that replayed them is known
     * to have succeeded: while it runs the JVM has not redefined them yet, and if it fails it defines none of them.
     */
    @Test
    void replaysAreSettledOnlyOnceTheirRetransformationSucceeded() throws Exception {
        byte[] original = classFile(java.io.FileOutputStream.class);
        JdkTransforms known = new JdkTransforms(java.util.Map.of("java.io.FileOutputStream",
                List.of(new JdkTransforms.Transformed(JdkTransforms.digest(original), TRANSFORMED))), Set.of());
        holding.hold(EARLY, known, EarlyPasses.NONE, TimeUnit.MINUTES.toNanos(5), Set.of());
        holding.transform(Object.class.getModule(), null, "java/io/FileOutputStream", null, null, original);

        assertThat(holding.settledReplays()).as("under way").isEmpty();
        holding.settleReplays();
        assertThat(holding.settledReplays()).containsExactly("java.io.FileOutputStream");
        holding.forgetReplayed();
        assertThat(holding.settledReplays()).as("a retransformation that failed").isEmpty();
    }

    @Test
    void aClassDefinedWithoutANameIsHandedOnUnderTheNameItsClassFileGivesIt() throws Exception {
        holding.hand(byteBuddy);

        assertThat(holding.transform(unnamed, application, null, null, null, classFile(Implementing.class))).isEqualTo(TRANSFORMED);
        assertThat(handedNames).containsExactly(internalName(Implementing.class));
    }

    @Test
    void beforeTheMatchersAreMadeAJdkClassNoInstrumentationNamesLoadsAtOnce() throws Exception {
        holding.hold(EarlyLoads.of(Fixtures.modules()), JdkTransforms.NONE, EarlyPasses.NONE, TimeUnit.MINUTES.toNanos(5), Set.of());

        assertThat(holding.transform(Object.class.getModule(), null, "java/util/ArrayList", null, null, classFile(ArrayList.class)))
                .isNull();
        assertThat(holding.held()).isZero();
    }

    @Test
    void beforeTheMatchersAreMadeAClassTheyMustBeAskedAboutWaitsForThem() throws Exception {
        EarlyLoads unprepared = EarlyLoads.of(Fixtures.modules());
        holding.hold(unprepared, JdkTransforms.NONE, EarlyPasses.NONE, TimeUnit.MINUTES.toNanos(5), Set.of());
        byte[] plain = classFile(Plain.class);
        CompletableFuture<byte[]> loaded = waitingLoad(internalName(Plain.class), plain);

        assertThat(loaded).isNotDone();
        holding.prepare();

        assertThat(loaded.get(1, TimeUnit.MINUTES)).as("asked, and no target: loads as it is").isNull();
        assertThat(unprepared.prepared()).isTrue();
        assertThat(holding.held()).as("loads that waited").isEqualTo(1);
    }

    @Test
    void aClassThatWaitedForTheMatchersAndIsATargetWaitsForByteBuddyCountedOnce() throws Exception {
        EarlyLoads unprepared = EarlyLoads.of(Fixtures.modules());
        holding.hold(unprepared, JdkTransforms.NONE, EarlyPasses.NONE, TimeUnit.MINUTES.toNanos(5), Set.of());
        byte[] statementLike = classFile(LooksLikeAStatement.class);
        CompletableFuture<byte[]> loaded = waitingLoad(internalName(LooksLikeAStatement.class), statementLike);

        holding.prepare();

        assertThat(unprepared.prepared()).isTrue();
        assertThat(loaded).as("asked: it may be a target, so it waits for ByteBuddy").isNotDone();
        holding.hand(byteBuddy);
        assertThat(loaded.get(1, TimeUnit.MINUTES)).isEqualTo(TRANSFORMED);
        assertThat(handedNames).containsExactly(internalName(LooksLikeAStatement.class));
        assertThat(holding.held()).as("one load, counted once").isEqualTo(1);
    }

    @Test
    void aClassAnEarlierStartFoundNoTargetLoadsBeforeTheMatchersAreMadeAndOnlyForItsVeryClassFile() throws Exception {
        KeyedEntry entry = passesEntry();
        EarlyPasses earlier = EarlyPasses.read(entry);
        earlier.learn(internalName(Plain.class), classFile(Plain.class));
        earlier.keep(Thread::new).join();
        holding.hold(EarlyLoads.of(Fixtures.modules()), JdkTransforms.NONE, EarlyPasses.read(entry),
                TimeUnit.MINUTES.toNanos(5), Set.of());

        assertThat(holding.transform(unnamed, application, internalName(Plain.class), null, null, classFile(Plain.class)))
                .isNull();
        assertThat(holding.held()).isZero();

        byte[] changed = classFile(Plain.class);
        changed[changed.length - 1] ^= 1; // another class file under the same name: asked about, so it waits
        CompletableFuture<byte[]> loaded = waitingLoad(internalName(Plain.class), changed);
        holding.hand(byteBuddy);
        loaded.get(1, TimeUnit.MINUTES);

        assertThat(handedNames).as("handed on meanwhile: ByteBuddy decides").containsExactly(internalName(Plain.class));
        assertThat(holding.held()).as("one load, counted once").isEqualTo(1);
    }

    private KeyedEntry passesEntry() throws java.io.IOException {
        return new KeyedEntry(CacheDirectory.open(cache), "this JDK and build", "early-", ".passes", "test passes\n", 4,
                "test entry");
    }

    private byte[] transform(String className, byte[] classFile) {
        try {
            return holding.transform(unnamed, application, className, null, null, classFile);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A load on a thread of its own, once that thread waits (for the matchers or for ByteBuddy). */
    private CompletableFuture<byte[]> waitingLoad(String className, byte[] classFile) {
        CompletableFuture<byte[]> loaded = new CompletableFuture<>();
        Thread loading = new Thread(() -> loaded.complete(transform(className, classFile)));
        loading.start();
        awaitWaiting(loading);
        return loaded;
    }

    /** Until the thread waits (the only way for it to stop without finishing). */
    private static void awaitWaiting(Thread thread) {
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(thread.isAlive()).as("the load finished without waiting").isTrue();
            Thread.onSpinWait();
        }
    }

}
