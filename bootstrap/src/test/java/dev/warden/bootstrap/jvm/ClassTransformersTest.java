package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's class transformer that may retransform, added to the instrumentation Warden was started with, is
 * refused, whatever the rules say, outside an agent's start; one added to another (an attach's) is not.
 */
class ClassTransformersTest {

    /** Stands for the instrumentation Warden was started with (guarded once per JVM: this class's only). */
    private static final Object WARDENS = new Object();

    static {
        ClassTransformers.guard(WARDENS);
    }

    private final List<ActionRequest> decided = new ArrayList<>();

    @BeforeEach
    void aPolicyThatPermitsEverything() {
        TestGate.answerAll(Outcome.PERMIT, decided);
    }

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    @Test
    void aTransformerThatMayRetransformIsRefusedWithoutAskingTheRulesAndRecorded() {
        SecurityException refusal = ClassTransformers.refusalToAdd(WARDENS, new Object(), true);

        assertThat(refusal).isNotNull().hasCauseInstanceOf(ActionDeniedException.class)
                .hasMessageContaining("Instrumentation.addTransformer(java.lang.Object, true)");
        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.surface()).isEqualTo("jvm");
            assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE);
        });
    }

    @Test
    void oneThatCannotRetransformRunsBeforeWardensAndAsksNothing() {
        assertThat(ClassTransformers.refusalToAdd(WARDENS, new Object(), false)).isNull();
        assertThat(ClassTransformers.refusalToAdd(WARDENS, null, true)).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void anotherInstrumentationTakesAnyTransformerAndOnlyTheFirstGuardCounts() {
        Object attached = new Object(); // an attach's, as Mockito's inline mock maker gets it
        ClassTransformers.guard(attached);

        assertThat(ClassTransformers.refusalToAdd(attached, new Object(), true)).isNull();
        assertThat(ClassTransformers.refusalToAdd(null, new Object(), true)).isNull();
        assertThat(decided).isEmpty();
        assertThat(ClassTransformers.refusalToAdd(WARDENS, new Object(), true)).isNotNull();
    }

    @Test
    void wardensOwnWorkAddsItsOwn() {
        SecurityException[] refusal = {new SecurityException("not run")};
        TestGate.capability().runInternally(() -> refusal[0] = ClassTransformers.refusalToAdd(WARDENS, new Object(), true));

        assertThat(refusal[0]).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void aClassOfTheApplicationsNamedAsTheJdksAgentStarterStartsNoAgent() throws Exception {
        // sun.instrument.InstrumentationImpl in a loader of the application's, its loadClassAndStartAgent asking to add.
        String lookalike = AgentStarterLookalike.class.getName().replace('.', '/');
        byte[] classFile;
        try (var in = AgentStarterLookalike.class.getResourceAsStream("AgentStarterLookalike.class")) {
            classFile = renamed(in.readAllBytes(), lookalike, "sun/instrument/InstrumentationImpl");
        }
        Class<?> impostor = new Definer(ClassTransformersTest.class.getClassLoader()).define("sun.instrument.InstrumentationImpl", classFile);

        @SuppressWarnings("unchecked")
        Object refusal = ((java.util.function.Function<Object, Object>) impostor.getDeclaredConstructor().newInstance()).apply(WARDENS);

        assertThat(impostor.getName()).isEqualTo("sun.instrument.InstrumentationImpl");
        assertThat(refusal).isInstanceOf(SecurityException.class);
        assertThat(decided).hasSize(1);
    }

    /** The class file with its one constant naming {@code from} naming {@code to} (a UTF-8 constant: length, then bytes). */
    private static byte[] renamed(byte[] classFile, String from, String to) {
        byte[] old = utf8Constant(from);
        byte[] replacement = utf8Constant(to);
        for (int i = 0; i + old.length <= classFile.length; i++) {
            if (java.util.Arrays.equals(classFile, i, i + old.length, old, 0, old.length)) {
                byte[] out = new byte[classFile.length - old.length + replacement.length];
                System.arraycopy(classFile, 0, out, 0, i);
                System.arraycopy(replacement, 0, out, i, replacement.length);
                System.arraycopy(classFile, i + old.length, out, i + replacement.length, classFile.length - i - old.length);
                return out;
            }
        }
        throw new AssertionError("no constant " + from);
    }

    private static byte[] utf8Constant(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] constant = new byte[bytes.length + 3];
        constant[0] = 1;
        constant[1] = (byte) (bytes.length >> 8);
        constant[2] = (byte) bytes.length;
        System.arraycopy(bytes, 0, constant, 3, bytes.length);
        return constant;
    }

    private static final class Definer extends ClassLoader {
        Definer(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }
    }
}
