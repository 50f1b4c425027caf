package dev.warden.receipts;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the gate knows about one decision, before the log gives it a place in the chain.
 *
 * <p>Maps are copied into {@link TreeMap}s in natural {@link String} order, which is the UTF-16
 * code-unit order RFC 8785 sorts object members by, so the encoder can walk them as they are.
 *
 * @param id            UUIDv7 string; also the action id
 * @param onBehalfOf    nullable
 * @param session       nullable
 * @param actionDigest  lowercase hex SHA-256 of the canonical action, see {@link ActionDigest}
 * @param summary       attributes, already redacted by the gate (the log scrubs secret-named keys again,
 *                      unless it is a {@link ReceiptSummary}, scrubbed once when it was prepared)
 * @param outcome       one of {@code PERMIT}, {@code DENY}, {@code SILENCE}, {@code HOLD}
 * @param policyVersion lowercase hex SHA-256 of the policy bundle; nullable when no policy was loaded
 * @param approvals     the approvals (or rejections) the decision rests on; empty for almost every receipt,
 *                      and then absent from the encoding
 */
public record ReceiptDraft(
        String id,
        Instant time,
        String actor, String onBehalfOf, String session,
        String surface, String operation, String target,
        String actionDigest,
        Map<String, String> summary,
        String outcome,
        boolean enforced,
        List<String> rules,
        String reason,
        Map<String, String> obligations,
        String policyVersion,
        List<ApprovalCitation> approvals) {

    /** A draft that cites no approvals. */
    public ReceiptDraft(String id, Instant time, String actor, String onBehalfOf, String session, String surface,
                        String operation, String target, String actionDigest, Map<String, String> summary,
                        String outcome, boolean enforced, List<String> rules, String reason,
                        Map<String, String> obligations, String policyVersion) {
        this(id, time, actor, onBehalfOf, session, surface, operation, target, actionDigest, summary, outcome, enforced,
                rules, reason, obligations, policyVersion, List.of());
    }

    public ReceiptDraft {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(operation, "operation");
        Outcomes.requireKnown(outcome);
        summary = summary instanceof ReceiptSummary ? summary : sortedCopy(summary);
        obligations = sortedCopy(obligations);
        rules = rules == null ? List.of() : List.copyOf(rules);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }

    /** This draft citing {@code cited}. */
    public ReceiptDraft withApprovals(List<ApprovalCitation> cited) {
        if (approvals.isEmpty() && (cited == null || cited.isEmpty())) {
            return this; // almost every receipt: no copy (the constructor would sort and copy its maps again)
        }
        return new ReceiptDraft(id, time, actor, onBehalfOf, session, surface, operation, target, actionDigest, summary,
                outcome, enforced, rules, reason, obligations, policyVersion, cited);
    }

    /** This draft, or a copy whose summary values under secret-named keys are "[redacted]". */
    ReceiptDraft withSummaryScrubbed() {
        if (summary instanceof ReceiptSummary) {
            return this; // scrubbed when it was prepared
        }
        Map<String, String> scrubbed = SecretScrubber.scrub(summary);
        return scrubbed == summary ? this : new ReceiptDraft(id, time, actor, onBehalfOf, session, surface, operation,
                target, actionDigest, scrubbed, outcome, enforced, rules, reason, obligations, policyVersion, approvals);
    }

    private static Map<String, String> sortedCopy(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Collections.emptySortedMap();
        }
        return map instanceof SortedCopy ? map : new SortedCopy(new TreeMap<>(map));
    }

    /** {@code entries} as a draft's map, without a copy: the caller gives the map up and never changes it. */
    static Map<String, String> adopt(TreeMap<String, String> entries) {
        return entries.isEmpty() ? Collections.emptySortedMap() : new SortedCopy(entries);
    }

    /**
     * A map in canonical order that nothing can change: a draft made from another draft's map (a reader
     * reusing the summary of the receipt before) keeps it instead of copying it again.
     */
    private static final class SortedCopy extends SortedView {
        SortedCopy(TreeMap<String, String> entries) {
            super(entries);
        }
    }
}
