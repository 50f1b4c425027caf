package dev.warden.receipts;

import java.io.IOException;

/** A key file that is not the PEM Ed25519 key it should be. The message says what it is instead. */
public final class KeyFormatException extends IOException {
    public KeyFormatException(String message) {
        super(message);
    }
}
