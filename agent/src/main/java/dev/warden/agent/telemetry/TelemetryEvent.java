package dev.warden.agent.telemetry;

/**
 * The events Warden's engine sends to its telemetry, as JDK maps: this package is loaded by Warden's
 * class loader (its own OTLP export) or, as the OpenTelemetry Java agent's extension, by the agent's
 * extension loader, which rewrites its OpenTelemetry references to the agent's shaded API. Only JDK
 * and bootstrap types cross between the two, so both sides agree on these names instead of on classes.
 */
public final class TelemetryEvent {

    /** A decision: {@link #DECISION_OBJECT} (a bootstrap {@code Decision}), {@link #NANOS}, and the receipt's fields. */
    public static final String DECISION = "decision";
    /** A signed checkpoint: {@link #ORIGIN}, {@link #SIZE}, {@link #ROOT}, {@link #NOTE}. */
    public static final String CHECKPOINT = "checkpoint";
    /** Warden started: {@link #CAPABILITY}, the gate's capability its exports run with. */
    public static final String STARTED = "started";
    /**
     * A model call reported its token usage: {@link #ACTION_ID} (the call's receipt), {@link #INPUT_TOKENS} and
     * {@link #OUTPUT_TOKENS} (Longs, each may be absent), {@link #RECEIPT_ID} of the report's receipt (absent when
     * not written), and {@link #SPENT}: a list of maps of {@link #BUDGET}, {@link #AMOUNT} (a Double) and {@link #UNIT}.
     */
    public static final String USAGE = "usage";
    /**
     * Once, when the engine is ready: values read at each metric export, as JDK {@code LongSupplier}s under
     * {@link #CHECKPOINT_LAG}, {@link #CHECKPOINT_AGE} and {@link #APPROVALS_PENDING} (a negative value: not known now).
     */
    public static final String GAUGES = "gauges";

    public static final String DECISION_OBJECT = "decision";
    public static final String NANOS = "nanos";
    public static final String RECEIPT_WRITTEN = "receipt.written";
    public static final String SURFACE = "surface";
    public static final String OPERATION = "operation";
    public static final String TARGET = "target";
    public static final String ACTOR = "actor";
    public static final String SESSION = "session";
    public static final String POLICY = "policy";
    public static final String ORIGIN = "origin";
    public static final String SIZE = "size";
    public static final String ROOT = "root";
    public static final String NOTE = "note";
    public static final String CAPABILITY = "capability";
    public static final String ACTION_ID = "action.id";
    public static final String RECEIPT_ID = "receipt.id";
    public static final String INPUT_TOKENS = "usage.input";
    public static final String OUTPUT_TOKENS = "usage.output";
    public static final String SPENT = "spent";
    public static final String BUDGET = "budget";
    public static final String AMOUNT = "amount";
    public static final String UNIT = "unit";
    public static final String CHECKPOINT_LAG = "checkpoint.lag";
    public static final String CHECKPOINT_AGE = "checkpoint.age";
    public static final String APPROVALS_PENDING = "approvals.pending";

    private TelemetryEvent() {
    }
}
