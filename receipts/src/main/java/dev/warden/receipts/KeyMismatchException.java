package dev.warden.receipts;

import java.io.IOException;

/**
 * The signing key is not the key of the log's existing checkpoints (or was rotated out of it). Opening
 * would sign a chain no single key verifies; a rotation must be explicit (docs/RECEIPTS.md, "Key rotation").
 */
public final class KeyMismatchException extends IOException {
    public KeyMismatchException(String message) {
        super(message);
    }
}
