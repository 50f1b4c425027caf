package dev.warden.agent.approval;

import dev.warden.agent.context.StateCheck;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.receipts.ApprovalCitation;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.rules.Ruling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the approval stage found for one action: nothing to do, held (awaiting approval of a request),
 * approved (the request's approvals are used now), rejected, or the store failed.
 *
 * @param facts     summary entries for the receipt ({@code approval.request}, ...)
 * @param cited     the approvals or rejection the receipt cites
 * @param opened    a request this action opens, published once its receipt is written; else null
 * @param request   the request the action is held under, was approved or rejected by; else null
 * @param settlement what to do with a counted tier's unit once the action's fate is known; else null
 */
public record ApprovalResult(Kind kind, String rule, String reason, Map<String, String> facts, List<ApprovalCitation> cited,
                             ApprovalRequest opened, ApprovalRequest request, StateCheck.Settlement settlement) {

    public enum Kind { NONE, HOLD, APPROVED, REJECTED, FAILED }

    public static final ApprovalResult NONE = new ApprovalResult(Kind.NONE, null, null, Map.of(), List.of(), null, null, null);

    public ApprovalResult {
        facts = Map.copyOf(facts);
        cited = List.copyOf(cited);
    }

    /**
     * The rules' ruling, changed by this result. A hold keeps the obligations the rules attached, binding nothing while
     * it is held ({@code Decision#enforcedObligations}), for the permit its approval makes of it.
     */
    public Ruling applyTo(Ruling ruling) {
        return switch (kind) {
            case NONE -> ruling;
            case HOLD -> new Ruling(Outcome.HOLD, List.of(rule), reason, ruling.obligations(), ruling.labels(), ruling.tier(), false, true, ruling.shadow());
            case REJECTED -> new Ruling(Outcome.DENY, List.of(rule), reason, Obligations.NONE, ruling.labels(), ruling.tier(), false, true, ruling.shadow());
            case FAILED -> Ruling.failure(rule, reason);
            case APPROVED -> {
                List<String> rules = new ArrayList<>(ruling.rules());
                rules.add(rule);
                String because = ruling.outcome() == Outcome.PERMIT ? ruling.reason() + "; " + reason : reason;
                // A hold the rules asked for becomes a permit only through its approvals, under the rules' obligations.
                yield new Ruling(Outcome.PERMIT, rules, because, ruling.obligations(), ruling.labels(), ruling.tier(), false, true, ruling.shadow());
            }
        };
    }

    /** Keeps or gives back a counted tier's unit. */
    public void settle(boolean proceeded) {
        if (settlement != null) {
            try {
                settlement.settle(proceeded);
            } catch (RuntimeException failure) {
                dev.warden.agent.logging.WardenLog.warn("could not settle a counted tier: " + failure);
            }
        }
    }
}
