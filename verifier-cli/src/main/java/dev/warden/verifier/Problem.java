package dev.warden.verifier;

import dev.warden.receipts.ExcerptLocation;
import dev.warden.receipts.Receipt;

/**
 * One thing wrong (or, for {@link Kind#RECOVERED}, worth knowing) in a receipts directory, printed as
 * {@code KIND: subject: why (at file@offset)}.
 *
 * @param subject  what it is about: a receipt ({@code receipt 41 (0193...)}), a checkpoint, a cycle file, a policy version
 * @param location where in the queue, or null for what has no place there (a policy bundle, a range of receipts)
 */
public record Problem(Kind kind, String subject, String why, ExcerptLocation location) {
    public enum Kind {
        /** Something present is not what was signed or chained: altered, forged, reordered, wrong key, damaged files. */
        INVALID,
        /** Something that must exist does not: deleted receipts, checkpoints or cycle files, an unarchived policy. */
        MISSING,
        /** Receipts no valid signed checkpoint covers: not (yet) proven, e.g. after a crash. */
        UNCHECKPOINTED,
        /** An excerpt cut short, as a crash mid-write leaves it: never accepted as a receipt. */
        TRUNCATED,
        /** Receipt excerpts a restarted writer refused to continue from (not its own MAC, or out of chain): forged or altered. */
        REJECTED,
        /** Receipts written unsigned before a crash, checked by the restarted writer (chain, hashes, MAC) and then signed. */
        RECOVERED,
        /** The newest checkpoint lacks the cosignatures of as many given witnesses as required. */
        UNWITNESSED
    }

    public Problem(Kind kind, String subject, String why) {
        this(kind, subject, why, null);
    }

    /** How a problem names a receipt: {@code receipt 41 (0193...)}. */
    public static String subject(Receipt r) {
        return "receipt " + r.sequence() + " (" + r.id() + ")";
    }

    public String line() {
        return kind + ": " + subject + ": " + why + (location == null ? "" : " (at " + location + ")");
    }
}
