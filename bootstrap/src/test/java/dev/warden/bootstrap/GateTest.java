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

    @Test
    void anUnreadableCallIsRefusedAndRecordedUnderItsSurfaceWithoutAskingTheRules() {
        List<ActionRequest> asked = new java.util.ArrayList<>();
        TestGate.answerWith(request -> {
            asked.add(request);
            return Decision.failClosed(String.valueOf(request.attribute(Decision.UNREADABLE_ATTRIBUTE)), "receipt-9");
        });

        Decision refused = Gate.refuseUnreadable("file", Decision.failClosed("could not describe the file action: boom", null));

        assertThat(refused.blocks()).isTrue();
        assertThat(refused.receiptId()).isEqualTo("receipt-9");
        assertThat(asked).singleElement().satisfies(request -> {
            assertThat(request.surface()).isEqualTo("file");
            assertThat(request.attributes()).containsExactly(java.util.Map.entry(Decision.UNREADABLE_ATTRIBUTE,
                    "could not describe the file action: boom"));
        });

        // An engine that does not refuse it cannot turn the refusal into a permit.
        TestGate.answerWith(request -> new Decision(Outcome.PERMIT, true, List.of("r"), "ok", "id", Obligations.NONE));
        assertThat(Gate.refuseUnreadable("file", Decision.failClosed("x", null)).blocks()).isTrue();
    }

    @Test
    void anUnreadableCallIsNamedWithoutRunningTheApplicationsExceptionCode() {
        RuntimeException applications = new IllegalStateException("never shown") {
            @Override
            public String getMessage() {
                throw new AssertionError("the application's exception was asked for its message");
            }

            @Override
            public String toString() {
                throw new AssertionError("the application's exception was printed");
            }
        };

        assertThat(Decision.unreadable("could not read the tool call", applications).reason())
                .isEqualTo("could not read the tool call: " + applications.getClass().getName());
        assertThat(Decision.unreadable("could not read the tool call", new NullPointerException("request is null")).reason())
                .isEqualTo("could not read the tool call: java.lang.NullPointerException: request is null");
        assertThat(Decision.unreadable("could not read the metadata",
                new java.lang.reflect.InvocationTargetException(new java.sql.SQLException("closed"))).reason())
                .isEqualTo("could not read the metadata: java.sql.SQLException: closed");
        assertThat(Decision.unreadable("could not read", null).reason()).isEqualTo("could not read: null");
    }
}
