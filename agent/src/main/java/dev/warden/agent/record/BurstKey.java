package dev.warden.agent.record;

import dev.warden.receipts.ReceiptDraft;

import java.util.List;

/**
 * What makes two refusals identical: the same action (its digest), by the same owner, refused the same
 * way (outcome and rules) under the same policy. The reason is left out on purpose: a limit's reason
 * carries its count ("101 of 100"), which changes on every retry.
 */
record BurstKey(String actionDigest, Owner owner, String outcome, List<String> rules, String policyVersion) {

    /** Who refusals are recorded for: a receipt of the same owner closes the owner's open counts first. */
    record Owner(String actor, String onBehalfOf, String session) {
        static Owner of(ReceiptDraft draft) {
            return new Owner(draft.actor(), draft.onBehalfOf(), draft.session());
        }
    }

    static BurstKey of(ReceiptDraft draft) {
        return new BurstKey(draft.actionDigest(), Owner.of(draft), draft.outcome(), draft.rules(), draft.policyVersion());
    }
}
