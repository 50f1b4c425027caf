package dev.warden.receipts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restarted writer found after its last genuine checkpoint, and the receipt it records about
 * it (surface {@code warden}, operation {@code recover}): the receipts it checked (chain, hashes,
 * its own MAC) and will sign, the excerpts it refused, and a torn write it cleared. Format:
 * docs/RECEIPTS.md, "Recovery receipts".
 *
 * @param checkpointSize size of the checkpoint the writer resumed from
 * @param firstRecovered first recovered sequence number; {@code recovered} receipts from it on
 * @param head           hash of the receipt the recovery receipt follows
 * @param rejected       receipt excerpts after the head that were not recovered (forged, altered, torn, out of chain)
 * @param rejectedFrom   location of the first of them, or null
 * @param rejectedTo     location of the last of them, or null
 * @param rejectedWhy    why the first of them was refused
 * @param torn           location and length of a torn write cleared from the end of the data, or null
 */
record Recovery(long checkpointSize, long firstRecovered, long recovered, String head, long rejected,
                ExcerptLocation rejectedFrom, ExcerptLocation rejectedTo, String rejectedWhy, String torn) {
    static final String SURFACE = "warden";
    static final String OPERATION = "recover";
    static final String RULE = "warden.recovery";

    private static final java.security.SecureRandom RANDOM = JdkSun.random();

    /** A UUIDv7 (RFC 9562) for the recovery receipt: 48 bits of milliseconds, version, variant, random bits. */
    static String newId() {
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new java.util.UUID(msb, lsb).toString();
    }

    boolean needed() {
        return recovered > 0 || rejected > 0 || torn != null;
    }

    Recovery withTorn(String cleared) {
        return new Recovery(checkpointSize, firstRecovered, recovered, head, rejected, rejectedFrom, rejectedTo, rejectedWhy, cleared);
    }

    ReceiptDraft draft(String id, java.time.Instant now) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("checkpoint", String.valueOf(checkpointSize));
        summary.put("head", head);
        summary.put("recovered", recovered == 0 ? "" : firstRecovered + ".." + (firstRecovered + recovered - 1));
        summary.put("rejected", String.valueOf(rejected));
        if (rejected > 0) {
            summary.put("rejectedFrom", rejectedFrom.toString());
            summary.put("rejectedTo", rejectedTo.toString());
        }
        if (torn != null) {
            summary.put("torn", torn);
        }
        List<String> parts = new ArrayList<>();
        parts.add(recovered == 0 ? "no unsigned receipts to recover"
                : "recovered receipts " + summary.get("recovered") + " written before the writer stopped without signing them"
                + " (chain, hashes and MACs checked)");
        if (rejected > 0) {
            parts.add("refused " + rejected + " receipt excerpt(s) " + rejectedFrom + ".." + rejectedTo + ": " + rejectedWhy);
        }
        if (torn != null) {
            parts.add("cleared a torn write " + torn);
        }
        return new ReceiptDraft(id, now, "warden", null, null, SURFACE, OPERATION, null, null, summary, "PERMIT", true,
                List.of(RULE), String.join("; ", parts), Map.of(), null);
    }
}
