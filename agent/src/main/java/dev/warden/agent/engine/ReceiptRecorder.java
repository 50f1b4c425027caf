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

    private final ReceiptLog log;
    private final String unavailable;

    private ReceiptRecorder(ReceiptLog log, String unavailable) {
        this.log = log;
        this.unavailable = unavailable;
    }

    public static ReceiptRecorder writingTo(ReceiptLog log) {
        return new ReceiptRecorder(log, null);
    }

    public static ReceiptRecorder unavailable(String why) {
        return new ReceiptRecorder(null, why);
    }

    void record(ReceiptDraft draft) throws ReceiptWriteException {
        if (log == null) {
            throw new ReceiptWriteException("receipt log unavailable: " + unavailable);
        }
        log.append(draft);
    }
}
