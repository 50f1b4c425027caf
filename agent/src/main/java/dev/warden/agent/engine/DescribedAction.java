package dev.warden.agent.engine;

import dev.warden.agent.identity.IdentityResolver.Identity;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.receipts.ReceiptSummary;
import dev.warden.rules.Ruling;

/**
 * A request, described once — its description, digest and receipt summary — and the ruling the rules
 * last gave it. Rules are functions of an action's facts (docs/RULES.md): the same action from the same
 * identity under the same policy gets the same ruling, so it is recalled instead of re-evaluated. One
 * ruling is kept, the latest identity's: an agent repeating itself recalls, a mix of identities re-evaluates.
 */
final class DescribedAction {

    private record Remembered(String policyVersion, Identity identity, Ruling ruling) {
    }

    private final ActionDescription description;
    private final String digest;
    private final ReceiptSummary summary;
    private volatile Remembered remembered;

    DescribedAction(ActionDescription description, String digest, ReceiptSummary summary) {
        this.description = description;
        this.digest = digest;
        this.summary = summary;
    }

    ActionDescription description() {
        return description;
    }

    String digest() {
        return digest;
    }

    ReceiptSummary summary() {
        return summary;
    }

    /** The ruling remembered for this identity under this policy version, or null. */
    Ruling recall(String policyVersion, Identity identity) {
        Remembered last = remembered;
        return last != null && last.policyVersion().equals(policyVersion) && last.identity().equals(identity)
                ? last.ruling() : null;
    }

    void remember(String policyVersion, Identity identity, Ruling ruling) {
        remembered = new Remembered(policyVersion, identity, ruling);
    }
}
