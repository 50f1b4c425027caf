package dev.warden.agent.engine;

import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptWriteException;

/**
 * Where decisions are recorded before their actions run. When the receipt log could not be opened
 * (a read-only or full directory), every append fails, and so every action is refused: an action
 * without a receipt never runs.
 */
public final class ReceiptRecorder {

    /** Where a draft goes: the log, or a policy test's memory. */
    private interface Sink {
        void append(ReceiptDraft draft) throws ReceiptWriteException;
    }

    private final Sink sink;
    private final String unavailable;

    private ReceiptRecorder(Sink sink, String unavailable) {
        this.sink = sink;
        this.unavailable = unavailable;
    }

    public static ReceiptRecorder writingTo(ReceiptLog log) {
        return new ReceiptRecorder(log::append, null);
    }

    public static ReceiptRecorder unavailable(String why) {
        return new ReceiptRecorder(null, why);
    }

    /** Hands each decision's draft to {@code drafts} instead of a log: a policy test reads what the agent would record. */
    public static ReceiptRecorder capturing(java.util.function.Consumer<ReceiptDraft> drafts) {
        return new ReceiptRecorder(drafts::accept, null);
    }

    void record(ReceiptDraft draft) throws ReceiptWriteException {
        if (sink == null) {
            throw new ReceiptWriteException("receipt log unavailable: " + unavailable);
        }
        sink.append(draft);
    }
}
