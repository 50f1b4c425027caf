package dev.warden.receipts;

/** Stored bytes that are not a receipt in canonical form: evidence of damage or tampering. */
public final class MalformedReceiptException extends Exception {
    public MalformedReceiptException(String message) {
        super(message);
    }
}
