package dev.warden.bootstrap.nativecode;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.Obligations;
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
        Gate.install(null);
    }

    private void gateAnswering(Outcome outcome) {
        Gate.install(request -> {
            decided.add(request);
            return new Decision(outcome, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
        });
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
        assertThat(decided).isEmpty();
    }

    @Test
    void aLibraryTheCallersLoaderAlreadyHasMapsNothingNewAndIsNotDecided() {
        gateAnswering(Outcome.SILENCE);

        assertThat(NativeActions.refusalForJniLoad(APPLICATION, NativeActionsTest.class, "/opt/app/libfoo.so", false,
                Map.of("/opt/app/libfoo.so", new Object()))).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void wardensOwnWorkIsNotDecided() {
        gateAnswering(Outcome.SILENCE);
        boolean wasInternal = Gate.enterInternal();
        try {
            assertThat(NativeActions.refusalForJniLoad(APPLICATION, NativeActionsTest.class, "/opt/app/libfoo.so", false, Map.of())).isNull();
            assertThat(NativeActions.refusalForJnaLoad("c")).isNull();
            assertThat(NativeActions.refusalForLibraryLookup("libc.so.6")).isNull();
            assertThat(NativeActions.refusalForDowncall(null, "()i")).isNull();
        } finally {
            Gate.exitInternal(wasInternal);
        }
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

        assertThat(NativeActions.refusalForLibraryLookup(Path.of("/opt/app/libfoo.so")))
                .isInstanceOf(IllegalArgumentException.class).hasCauseInstanceOf(ActionDeniedException.class);
        assertThat(NativeActions.refusalForDowncall("MemorySegment{ address: 0x7f00, byteSize: 0 }", "(i32)i32"))
                .isInstanceOf(IllegalCallerException.class).hasCauseInstanceOf(ActionDeniedException.class);
        assertThat(NativeActions.refusalForDowncall(null, "()i32")).isInstanceOf(IllegalCallerException.class);

        assertThat(decided).extracting(ActionRequest::operation).containsExactly("LOAD", "LINK", "LINK");
        assertThat(decided).extracting(ActionRequest::target)
                .containsExactly("/opt/app/libfoo.so", "MemorySegment{ address: 0x7f00, byteSize: 0 }", "*");
        assertThat(decided.get(1).attributes()).containsEntry("native.descriptor", "(i32)i32");
    }

    @Test
    void anArgumentThatThrowsWhenDescribedRefusesTheCallAndTheNextCallIsDecided() {
        gateAnswering(Outcome.PERMIT);
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("boom");
            }
        };

        IllegalArgumentException refusal = NativeActions.refusalForLibraryLookup(hostile);

        assertThat(refusal).hasMessageContaining(Decision.FAIL_CLOSED_RULE)
                .hasMessageContaining("could not describe the library lookup: java.lang.IllegalStateException: boom");
        assertThat(decided).isEmpty();
        assertThat(NativeActions.refusalForLibraryLookup("libc.so.6")).isNull();
        assertThat(decided).extracting(ActionRequest::target).containsExactly("libc.so.6");
    }

    @Test
    void withoutAnEngineEveryLoadIsRefused() {
        assertThat(NativeActions.refusalForJniLoad(APPLICATION, NativeActionsTest.class, "/opt/app/libfoo.so", false, Map.of()))
                .hasMessageContaining("warden engine is not installed");
    }
}
