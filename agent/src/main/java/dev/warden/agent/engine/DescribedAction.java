package dev.warden.agent.engine;

import dev.warden.agent.identity.IdentityResolver.Identity;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.receipts.ActionDigest;
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
    private final java.util.function.Supplier<ActionDigest.Template> bound;
    private final ReceiptSummary summary;
    private volatile Remembered remembered;
    private volatile ActionDigest.Template template;

    /** @param bound the template of this action's digest with bound values, made when first needed */
    DescribedAction(ActionDescription description, String digest, java.util.function.Supplier<ActionDigest.Template> bound,
                    ReceiptSummary summary) {
        this.description = description;
        this.digest = digest;
        this.bound = bound;
        this.summary = summary;
    }

    ActionDescription description() {
        return description;
    }

    String digest() {
        return digest;
    }

    /**
     * The digest of one execution: this action's, with the digest of the values it binds when it binds
     * any. The description and the ruling do not depend on them; the digest, which approvals and the
     * receipt bind, does.
     */
    String digest(String binding) {
        if (binding == null) {
            return digest;
        }
        ActionDigest.Template made = template;
        if (made == null) {
            made = bound.get();
            template = made;
        }
        return made.with(binding);
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
