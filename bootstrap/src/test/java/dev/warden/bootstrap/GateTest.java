package dev.warden.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gate is one door: installed once, refusing when anything inside fails, switched by nobody else. */
class GateTest {

    @AfterEach
    void clear() {
        TestGate.clear();
    }

    @Test
    void onceAnEngineIsInstalledNoOtherCanReplaceIt() {
        TestGate.answerWith(request -> new Decision(Outcome.PERMIT, true, List.of("r"), "ok", "id", Obligations.NONE));

        assertThatThrownBy(() -> Gate.install(request -> new Decision(Outcome.PERMIT, true, List.of(), "forged", null, Obligations.NONE)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Gate.decide(ActionRequest.of("jdbc", java.util.Map.of())).reason()).isEqualTo("ok");
    }

    @Test
    void aThreadBecomesWardensOwnOnlyThroughTheCapability() throws Exception {
        assertThat(Gate.isInternal()).isFalse();
        AtomicBoolean internalInside = new AtomicBoolean();
        TestGate.capability().runInternally(() -> internalInside.set(Gate.isInternal()));
        assertThat(internalInside).isTrue();
        assertThat(Gate.isInternal()).isFalse();

        AtomicBoolean marked = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            TestGate.capability().markInternalThread();
            marked.set(Gate.isInternal());
        });
        thread.start();
        thread.join();
        assertThat(marked).isTrue();
        assertThat(Gate.isInternal()).isFalse();
    }

    @Test
    void anEngineThatThrowsOrAnswersNothingIsARefusalNamingIt() {
        TestGate.answerWith(request -> {
            throw new IllegalStateException("boom");
        });
        Decision thrown = Gate.decide(ActionRequest.of("jdbc", java.util.Map.of()));
        assertThat(thrown.blocks()).isTrue();
        assertThat(thrown.reason()).contains("boom");

        TestGate.clear();
        assertThat(Gate.decide(ActionRequest.of("jdbc", java.util.Map.of())).reason()).contains("no decision");
        assertThat(Gate.decide(null).blocks()).isTrue();
    }
}
