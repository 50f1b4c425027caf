package dev.warden.receipts;

import java.io.IOException;

/** The directory holds no receipts queue: a usage error, not evidence about any receipt. */
public final class NotAReceiptsDirectoryException extends IOException {
    public NotAReceiptsDirectoryException(String message) {
        super(message);
    }
}
