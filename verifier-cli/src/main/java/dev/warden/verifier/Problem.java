package dev.warden.verifier;

/**
 * One thing wrong in a receipts directory, printed as {@code KIND: subject: why}.
 *
 * @param subject what it is about: a receipt ({@code receipt 41 (0193...)}), a checkpoint, a policy version
 */
public record Problem(Kind kind, String subject, String why) {
    public enum Kind {
        /** Something present is not what was signed or chained: altered, forged, reordered, wrong key. */
        INVALID,
        /** Something that must exist does not: deleted receipts, a cut tail, an unarchived policy. */
        MISSING,
        /** Receipts no valid signed checkpoint covers: not (yet) proven, e.g. after a crash. */
        UNCHECKPOINTED,
        /** The last excerpt was cut short, as a crash mid-write leaves it: never accepted as a receipt. */
        TRUNCATED,
        /** The newest checkpoint lacks the cosignatures of as many given witnesses as required. */
        UNWITNESSED
    }

    public String line() {
        return kind + ": " + subject + ": " + why;
    }
}
