package dev.warden.receipts;

/**
 * Counted receipts: one receipt that stands for identical refusals repeated in a short window, which
 * the gate counted instead of recording each in full (docs/RECEIPTS.md, "Refusal bursts"). The count and
 * its details are summary members that only the gate sets.
 */
public final class Repeats {
    /** How many refusals the receipt stands for (a decimal count of at least 1). */
    public static final String REPEATED = "warden.repeated";
    /** Time of the first of them, RFC 3339. */
    public static final String FROM = "warden.repeated.from";
    /** Time of the last of them, RFC 3339. */
    public static final String TO = "warden.repeated.to";
    /** The id of the burst's first receipt, which each of them cited to the host. */
    public static final String BURST = "warden.repeated.burst";

    private Repeats() {
    }

    /** Whether {@code receipt} records a refusal: a decision that was enforced and did not permit. */
    public static boolean refusal(ReceiptDraft receipt) {
        return receipt.enforced() && !"PERMIT".equals(receipt.outcome());
    }

    /** Whether {@code receipt} is a counted receipt: a refusal with a {@link #REPEATED} member. */
    public static boolean counted(ReceiptDraft receipt) {
        return refusal(receipt) && receipt.summary().containsKey(REPEATED);
    }

    /**
     * How many decisions {@code receipt} records: the count of a counted receipt of refusals, else 1.
     * A {@link #REPEATED} member on anything but a refusal, or one that is not a positive count, counts 1.
     */
    public static long decisions(ReceiptDraft receipt) {
        if (!counted(receipt)) {
            return 1;
        }
        String repeated = receipt.summary().get(REPEATED);
        try {
            long count = Long.parseLong(repeated);
            return count > 0 ? count : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
