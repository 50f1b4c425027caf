package dev.warden.agent.install;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;
import org.junit.jupiter.api.Test;

import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class CachedJdkTransformerTest {

    private static final byte[] ORIGINAL = bytes("String as the JDK has it");
    private static final byte[] ADVISED = bytes("String with Warden's advice");

    private final ByteBuddyStandIn byteBuddy = new ByteBuddyStandIn();
    private final Set<String> transformed = ConcurrentHashMap.newKeySet();

    @Test
    void aJdkClassWithTheClassFileAnEarlierInstallTransformedIsReplayedWithoutByteBuddy() throws Exception {
        CachedJdkTransformer replaying = decorating(knowing(Map.of("java.lang.String", ORIGINAL)));

        byte[] result = replaying.transform(null, "java/lang/String", String.class, null, ORIGINAL);

        assertThat(result).isEqualTo(ADVISED);
        assertThat(byteBuddy.asked).isEmpty();
        assertThat(transformed).as("counts as transformed for the start's check").containsExactly("java.lang.String");
        assertThat(replaying.replayed()).isEqualTo(1);
        assertThat(replaying.installed()).as("nothing new to keep").isNull();
    }

    @Test
    void anyOtherClassFileOfTheClassGoesToByteBuddyAndWhatItMadeIsKept() throws Exception {
        CachedJdkTransformer replaying = decorating(knowing(Map.of("java.lang.String", ORIGINAL)));
        byte[] anotherAgentsMaking = bytes("String as another agent made it");

        byte[] result = replaying.transform(null, "java/lang/String", String.class, null, anotherAgentsMaking);

        assertThat(byteBuddy.asked).containsExactly("java/lang/String");
        assertThat(result).isEqualTo(ByteBuddyStandIn.advised(anotherAgentsMaking));
        assertThat(transformed).as("ByteBuddy's listener counts it").isEmpty();
        assertThat(replaying.transformedAnew()).isEqualTo(1);
        JdkTransforms kept = replaying.installed();
        assertThat(kept.replacing("java.lang.String", anotherAgentsMaking)).isEqualTo(result);
        assertThat(kept.replacing("java.lang.String", ORIGINAL)).as("kept beside the class file known before").isEqualTo(ADVISED);
    }

    @Test
    void aClassFileSeenBeforeIsReplayedWhicheverOfTheClassesFilesTheJvmHandsOver() throws Exception {
        byte[] rebuiltOtherwise = bytes("String as the JVM rebuilt it after other code ran");
        CachedJdkTransformer learning = decorating(knowing(Map.of("java.lang.String", ORIGINAL)));
        learning.transform(null, "java/lang/String", String.class, null, rebuiltOtherwise);
        JdkTransforms bothKnown = learning.installed();
        byteBuddy.asked.clear();

        CachedJdkTransformer replaying = decorating(bothKnown);
        byte[] one = replaying.transform(null, "java/lang/String", String.class, null, ORIGINAL);
        byte[] other = replaying.transform(null, "java/lang/String", String.class, null, rebuiltOtherwise);

        assertThat(one).isEqualTo(ADVISED);
        assertThat(other).isEqualTo(ByteBuddyStandIn.advised(rebuiltOtherwise));
        assertThat(byteBuddy.asked).as("neither went to ByteBuddy").isEmpty();
        assertThat(replaying.installed()).as("nothing new to keep").isNull();
    }

    @Test
    void aNewerMakingOfAClassFileReplacesTheOlderOne() {
        JdkTransforms known = knowing(Map.of("java.lang.String", ORIGINAL));
        byte[] remade = bytes("String advised by a newer build of the advice");

        JdkTransforms both = known.with(Map.of("java.lang.String",
                new JdkTransforms.Transformed(JdkTransforms.digest(ORIGINAL), remade)), Set.of());

        assertThat(both.transformed().get("java.lang.String")).hasSize(1);
        assertThat(both.replacing("java.lang.String", ORIGINAL)).isEqualTo(remade);
    }

    @Test
    void onlyTheNewestClassFilesOfAClassAreKept() throws Exception {
        JdkTransforms known = knowing(Map.of("java.lang.String", ORIGINAL));
        for (int i = 0; i < JdkTransforms.VARIANTS; i++) {
            CachedJdkTransformer learning = decorating(known);
            learning.transform(null, "java/lang/String", String.class, null, bytes("String, rebuilt " + i));
            known = learning.installed();
        }

        assertThat(known.transformed().get("java.lang.String")).hasSize(JdkTransforms.VARIANTS);
        assertThat(known.replacing("java.lang.String", ORIGINAL)).as("the oldest made room").isNull();
        assertThat(known.replacing("java.lang.String", bytes("String, rebuilt 0"))).isNotNull();
    }

    @Test
    void classesBeingLoadedAndClassesNotTheJdksAreNeverReplayedNorKept() throws Exception {
        CachedJdkTransformer replaying = decorating(knowing(Map.of("java.lang.String", ORIGINAL,
                CachedJdkTransformerTest.class.getName(), ORIGINAL)));

        replaying.transform(null, "java/lang/String", null, null, ORIGINAL);
        replaying.transform(getClass().getClassLoader(), getClass().getName().replace('.', '/'), getClass(), null, ORIGINAL);

        assertThat(byteBuddy.asked).hasSize(2);
        assertThat(replaying.replayed()).isZero();
        assertThat(replaying.installed()).isNull();
    }

    @Test
    void afterTheInstallNothingMoreIsLearned() throws Exception {
        CachedJdkTransformer replaying = decorating(knowing(Map.of()));
        assertThat(replaying.installed()).isNull();

        replaying.transform(null, "java/lang/String", String.class, null, ORIGINAL);
        replaying.ignored("java.lang.Integer");

        assertThat(replaying.installed()).isNull();
    }

    @Test
    void classesLeftAloneAreKeptBesideTheKnownOnes() throws Exception {
        CachedJdkTransformer replaying = decorating(new JdkTransforms(Map.of(), Set.of("java.lang.Integer")));

        replaying.ignored("java.lang.Long");

        assertThat(replaying.installed().ignored()).containsExactlyInAnyOrder("java.lang.Integer", "java.lang.Long");
    }

    private CachedJdkTransformer decorating(JdkTransforms known) {
        CachedJdkTransformer[] installed = new CachedJdkTransformer[1];
        CachedJdkTransformer.decorator(installed, known, transformed).decorate(byteBuddy);
        return installed[0];
    }

    private static JdkTransforms knowing(Map<String, byte[]> originals) {
        Map<String, List<JdkTransforms.Transformed>> known = new java.util.HashMap<>();
        originals.forEach((name, original) -> known.put(name, List.of(
                new JdkTransforms.Transformed(JdkTransforms.digest(original), original == ORIGINAL ? ADVISED : original))));
        return new JdkTransforms(known, Set.of());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Stands in for ByteBuddy's transformer: says what it was asked, and marks what it returns. */
    private static final class ByteBuddyStandIn extends ResettableClassFileTransformer.AbstractBase {
        final List<String> asked = new ArrayList<>();

        static byte[] advised(byte[] classFile) {
            return ("advised by ByteBuddy: " + new String(classFile, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classFileBuffer) {
            asked.add(className);
            return advised(classFileBuffer);
        }

        @Override
        public Iterator<AgentBuilder.Transformer> iterator(TypeDescription typeDescription, ClassLoader classLoader,
                                                           JavaModule module, Class<?> classBeingRedefined,
                                                           ProtectionDomain protectionDomain) {
            return Collections.emptyIterator();
        }

        @Override
        public boolean reset(Instrumentation instrumentation, ResettableClassFileTransformer classFileTransformer,
                             AgentBuilder.RedefinitionStrategy redefinitionStrategy,
                             AgentBuilder.RedefinitionStrategy.DiscoveryStrategy discoveryStrategy,
                             AgentBuilder.RedefinitionStrategy.BatchAllocator redefinitionBatchAllocator,
                             AgentBuilder.RedefinitionStrategy.Listener redefinitionListener) {
            return false;
        }
    }
}
