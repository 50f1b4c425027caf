package dev.warden.receipts;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A receipt summary prepared once and reused by every receipt of the same action: sorted in the
 * canonical member order and already scrubbed of secrets, so that appending a receipt neither copies
 * nor re-checks it, and its receipts are encoded from a {@link ReceiptTemplate}. Any other map given to a {@link ReceiptDraft} is copied and scrubbed per receipt.
 */
public final class ReceiptSummary extends SortedView {

    volatile ReceiptTemplate template; // the encoding of this action's receipts but for what changes per receipt

    private ReceiptSummary(SortedMap<String, String> entries) {
        super(entries);
    }

    public static ReceiptSummary of(Map<String, String> summary) {
        if (summary instanceof ReceiptSummary prepared) {
            return prepared;
        }
        return new ReceiptSummary(new TreeMap<>(SecretScrubber.scrub(summary)));
    }
}
