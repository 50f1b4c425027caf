package dev.warden.receipts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The receipt that records a retention prune (surface {@code warden}, operation {@code prune}): the cycle
 * files removed from the head of the log, the first receipt kept, and the Merkle tree frontier just before
 * it, so the log verifies from there on. Format: docs/RECEIPTS.md, "Retention".
 *
 * @param from          sequence number of the first receipt kept
 * @param firstFile     the first cycle file kept
 * @param lastPruned    the last cycle file removed (the one the first kept file's cycle-start names)
 * @param prunedFiles   how many cycle files were removed
 * @param frontier      the tree frontier at {@code from} (roots of the perfect subtrees, largest first)
 */
public record Prune(long from, String firstFile, String lastPruned, int prunedFiles, List<byte[]> frontier) {
    public static final String SURFACE = "warden";
    public static final String OPERATION = "prune";
    public static final String RULE = "warden.prune";

    ReceiptDraft draft(Instant now) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("from", String.valueOf(from));
        summary.put("firstFile", firstFile);
        summary.put("lastPruned", lastPruned);
        summary.put("prunedFiles", String.valueOf(prunedFiles));
        summary.put("frontier", String.join(",", frontier.stream().map(Hex::of).toList()));
        return new ReceiptDraft(Recovery.newId(), now, "warden", null, null, SURFACE, OPERATION, null, null, summary, "PERMIT",
                true, List.of(RULE), "pruned " + prunedFiles + " cycle file(s) up to " + lastPruned + ": the log verifies from receipt "
                + from + " (" + firstFile + ") on", Map.of(), null);
    }

    /** The prune a receipt records, if it is a well-formed prune receipt. */
    public static Optional<Prune> of(Receipt r) {
        if (!SURFACE.equals(r.surface()) || !OPERATION.equals(r.operation()) || !r.rules().contains(RULE)) {
            return Optional.empty();
        }
        Map<String, String> s = r.summary();
        try {
            List<byte[]> frontier = new ArrayList<>();
            String hashes = s.getOrDefault("frontier", "");
            for (String hash : hashes.isEmpty() ? new String[0] : hashes.split(",")) {
                frontier.add(Hex.parse(hash));
            }
            return Optional.of(new Prune(Long.parseLong(s.get("from")), s.get("firstFile"), s.get("lastPruned"),
                    Integer.parseInt(s.get("prunedFiles")), frontier));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
