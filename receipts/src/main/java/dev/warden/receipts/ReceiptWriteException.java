package dev.warden.receipts;

/** A receipt could not be appended. The gate must not let the action run (DESIGN §1, "decide before"). */
public final class ReceiptWriteException extends Exception {
    public ReceiptWriteException(String message, Throwable cause) {
        super(message, cause);
    }

    public ReceiptWriteException(String message) {
        super(message);
    }
}
