package dev.warden.bootstrap.nativecode;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.TestGate;
import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which native loads and links are decided, what the rules are told, and how a refusal reaches the caller. */
class NativeActionsTest {

    private static final ClassLoader APPLICATION = new URLClassLoader(new URL[0], null);

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void anApplicationsJniLoadIsDecidedOnTheCanonicalPathAndRefusedAsAnUnsatisfiedLinkError() {
        gateAnswering(Outcome.SILENCE);

        UnsatisfiedLinkError refusal = NativeActions.refusalForJniLoad(APPLICATION, NativeActionsTest.class,
                "/opt/app/libfoo.so", false, Map.of());

        assertThat(refusal).hasMessage("warden: denied by rule: because (receipt receipt-1)")
                .hasCauseInstanceOf(ActionDeniedException.class);
        ActionRequest action = decided.get(0);
        assertThat(action.surface()).isEqualTo("native");
        assertThat(action.operation()).isEqualTo("LOAD");
        assertThat(action.target()).isEqualTo("/opt/app/libfoo.so");
        assertThat(action.attributes()).containsEntry("native.via", "jni").containsEntry("native.path", "/opt/app/libfoo.so")
                .containsEntry("native.caller", NativeActionsTest.class.getName()).doesNotContainKey("native.builtin");
    }

    @Test
    void aPermittedLoadProceeds() {
        gateAnswering(Outcome.PERMIT);

        assertThat(NativeActions.refusalForJniLoad(APPLICATION, NativeActionsTest.class, "/opt/app/libfoo.so", false, Map.of())).isNull();
        assertThat(NativeActions.refusalForJnaLoad("c")).isNull();
        assertThat(decided).hasSize(2);
    }

    @Test
    void theJdksOwnLoadsAreExemptByTheLibraryTableTheyGoTo() {
        gateAnswering(Outcome.SILENCE);

        assertThat(NativeActions.refusalForJniLoad(null, null, "/jdk/lib/libnet.so", false, Map.of())).isNull();
        assertThat(NativeActions.refusalForJniLoad(ClassLoader.getPlatformClassLoader(), null, "/jdk/lib/libj2pkcs11.so",
                false, Map.of())).isNull();
        assertThat(NativeActions.refusalForJniLoad(null, Object.class, "/jdk/lib/libnet.so", false, Map.of())).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void aLoadIntoTheBootTableByAClassOutsideTheJdksModulesIsDecided() {
        gateAnswering(Outcome.SILENCE);

        // A class host code defined beside Warden's bootstrap classes (the boot loader's unnamed module) loads into the
        // boot loader's table; what counts is that the caller is no JDK class.
        assertThat(NativeActions.refusalForJniLoad(null, NativeActionsTest.class, "/opt/app/libfoo.so", false, Map.of())).isNotNull();
        assertThat(decided).extracting(ActionRequest::target).containsExactly("/opt/app/libfoo.so");
    }

    @Test
    void aLibraryTheCallersLoaderAlreadyHasMapsNothingNewAndIsNotDecided() {
        gateAnswering(Outcome.SILENCE);

        assertThat(NativeActions.refusalForJniLoad(APPLICATION, NativeActionsTest.class, "/opt/app/libfoo.so", false,
                Map.of("/opt/app/libfoo.so", new Object()))).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void aLoadIntoAnyOtherTableIsDecidedWhoeverItsLoaderIs() {
        gateAnswering(Outcome.SILENCE);
        // Warden's own loader among them: host code reaches it and can define classes in it.
        ClassLoader wardens = NativeActionsTest.class.getClassLoader();

        assertThat(NativeActions.refusalForJniLoad(wardens, NativeActionsTest.class, "/opt/app/libfoo.so", false, Map.of())).isNotNull();
        assertThat(decided).extracting(ActionRequest::target).containsExactly("/opt/app/libfoo.so");
    }

    @Test
    void wardensOwnWorkIsNotDecided() {
        gateAnswering(Outcome.SILENCE);
        TestGate.capability().runInternally(() -> {
            assertThat(NativeActions.refusalForJniLoad(APPLICATION, NativeActionsTest.class, "/opt/app/libfoo.so", false, Map.of())).isNull();
            assertThat(NativeActions.refusalForJnaLoad("c")).isNull();
            assertThat(NativeActions.refusalForForeignLoad(true, "libc.so.6")).isNull();
            assertThat(NativeActions.refusalForDowncall(null, "()i")).isNull();
        });
        assertThat(decided).isEmpty();
    }

    @Test
    void jnaLoadsAreDecidedByTheNameGivenAndTheProcessHandleAsItsOwnTarget() {
        gateAnswering(Outcome.DENY);

        assertThat(NativeActions.refusalForJnaLoad("c")).isInstanceOf(UnsatisfiedLinkError.class)
                .hasCauseInstanceOf(ActionDeniedException.class);
        assertThat(NativeActions.refusalForJnaLoad(null)).isInstanceOf(UnsatisfiedLinkError.class);

        assertThat(decided).extracting(ActionRequest::target).containsExactly("c", "<process>");
        assertThat(decided).allSatisfy(action -> assertThat(action.attributes()).containsEntry("native.via", "jna"));
    }

    @Test
    void foreignLookupsAndDowncallsAreRefusedWithTheExceptionsTheirMethodsDeclare() {
        gateAnswering(Outcome.SILENCE);

        assertThat(NativeActions.refusalForForeignLoad(true, "/opt/app/libfoo.so"))
                .isInstanceOf(IllegalArgumentException.class).hasCauseInstanceOf(ActionDeniedException.class);
        assertThat(NativeActions.refusalForDowncall("MemorySegment{ address: 0x7f00, byteSize: 0 }", "(i32)i32"))
                .isInstanceOf(IllegalCallerException.class).hasCauseInstanceOf(ActionDeniedException.class);
        assertThat(NativeActions.refusalForDowncall(null, "()i32")).isInstanceOf(IllegalCallerException.class);

        assertThat(decided).extracting(ActionRequest::operation).containsExactly("LOAD", "LINK", "LINK");
        assertThat(decided).extracting(ActionRequest::target)
                .containsExactly("/opt/app/libfoo.so", "MemorySegment{ address: 0x7f00, byteSize: 0 }", "*");
        assertThat(decided.get(1).attributes()).containsEntry("native.descriptor", "(i32)i32");
        assertThat(decided).allSatisfy(action -> assertThat(action.attributes())
                .containsEntry("native.via", "ffm").containsEntry("native.caller", NativeActionsTest.class.getName()));
    }

    @Test
    void theJdksOwnRawLibraryTablesAreExempt() {
        gateAnswering(Outcome.SILENCE);

        assertThat(NativeActions.refusalForForeignLoad(false, "/jdk/lib/libsyslookup.so")).isNull();
        assertThat(NativeActions.refusalForForeignLoad((Class<?>) null, "/jdk/lib/libsyslookup.so")).isNull();
        assertThat(NativeActions.refusalForForeignLoad(Object.class, "/jdk/lib/libsyslookup.so")).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void aCallerReachedThroughAMethodHandleIsStillTheApplication() throws Throwable {
        gateAnswering(Outcome.SILENCE);
        java.lang.invoke.MethodHandle downcall = java.lang.invoke.MethodHandles.lookup().findStatic(NativeActions.class,
                "refusalForDowncall", java.lang.invoke.MethodType.methodType(IllegalCallerException.class, Object.class, Object.class));
        java.util.function.BiFunction<Object, Object, Object> viaJdkCode = (symbol, descriptor) -> {
            try {
                return downcall.invoke(symbol, descriptor);
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        };

        Object refusal = new java.util.HashMap<Object, Object>(Map.of("key", "()i32")).compute("key", viaJdkCode);

        assertThat(refusal).isInstanceOf(IllegalCallerException.class);
        assertThat(decided.get(0).attributes()).containsEntry("native.caller", NativeActionsTest.class.getName());
    }

    @Test
    void anEngineThatAnswersNothingRefusesEveryLoad() {
        assertThat(NativeActions.refusalForJniLoad(APPLICATION, NativeActionsTest.class, "/opt/app/libfoo.so", false, Map.of()))
                .hasMessageContaining("engine returned no decision");
    }
}
