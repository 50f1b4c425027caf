package dev.warden.bootstrap;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The gate of a unit-test JVM: installed once (the gate takes one engine per JVM), answering with
 * whatever engine the current test puts in; with none, the gate refuses like an engine that failed.
 */
public final class TestGate {

    private static final AtomicReference<Gate.Engine> CURRENT = new AtomicReference<>();
    private static final Gate.Capability CAPABILITY = Gate.install(new Gate.Engine() {
        @Override
        public Decision decide(ActionRequest request) {
            Gate.Engine engine = CURRENT.get();
            return engine == null ? null : engine.decide(request);
        }
    });

    private TestGate() {
    }

    public static void answerWith(Gate.Engine engine) {
        CURRENT.set(engine);
    }

    /**
     * Answers every request with {@code outcome} (rule {@code rule}, reason {@code because}, receipt {@code receipt-1}),
     * and adds each to {@code decided}: what the helper under test handed the gate.
     */
    public static void answerAll(Outcome outcome, java.util.List<ActionRequest> decided) {
        answerWith(request -> {
            decided.add(request);
            return new Decision(outcome, true, java.util.List.of("rule"), "because", "receipt-1", Obligations.NONE);
        });
    }

    public static void clear() {
        CURRENT.set(null);
    }

    /** The capability the test JVM's installer received. */
    public static Gate.Capability capability() {
        return CAPABILITY;
    }
}
