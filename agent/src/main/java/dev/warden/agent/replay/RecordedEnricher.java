package dev.warden.agent.replay;

import dev.warden.agent.engine.DecisionKeys;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.receipts.ReceiptDraft;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A surface's enricher for replay: the engine asks it to describe a request, and it answers with the
 * action as its receipt recorded it ({@link ActionEnricher#recorded}), so that everything after the
 * description — identity, rules, context stage — is the agent's own path.
 */
final class RecordedEnricher implements ActionEnricher {

    /** The request attribute that carries the receipt being replayed. */
    static final String RECEIPT = "warden.replay.receipt";

    /**
     * The recorded digest, as an attribute: the engine digests the description, and a masked summary is
     * the same for different actions (two statements of one shape). With the recorded digest among its
     * facts, two replayed actions share a digest exactly when the recorded ones did, so loops count as
     * they counted.
     */
    static final String DIGEST = "warden.replay.digest";

    /** What a receipt's summary holds that Warden added, not the action's facts (besides the decision's own keys). */
    private static final String WARDEN_PREFIX = "warden.";

    private final ActionEnricher surface;

    RecordedEnricher(ActionEnricher surface) {
        this.surface = surface;
    }

    /** The request that stands for {@code receipt}: its identity as the hints the engine resolves. */
    static ActionRequest request(ReceiptDraft receipt) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(RECEIPT, receipt);
        attributes.put("actor", receipt.actor());
        if (receipt.onBehalfOf() != null) {
            attributes.put("onBehalfOf", receipt.onBehalfOf());
        }
        if (receipt.session() != null) {
            attributes.put("session", receipt.session());
        }
        return new ActionRequest(receipt.surface(), receipt.operation(), receipt.target(), attributes);
    }

    /** The summary without what the decision added. */
    static Map<String, String> actionFacts(Map<String, String> summary) {
        Map<String, String> facts = new TreeMap<>();
        summary.forEach((name, value) -> {
            // What the decision added the candidate decides afresh.
            if (!DecisionKeys.written(name) && !name.startsWith(WARDEN_PREFIX)) {
                facts.put(name, value);
            }
        });
        return facts;
    }

    @Override
    public ActionDescription describe(ActionRequest request) {
        ReceiptDraft receipt = (ReceiptDraft) request.attribute(RECEIPT);
        ActionDescription recorded = surface.recorded(receipt.operation(), receipt.target() == null ? "" : receipt.target(),
                actionFacts(receipt.summary()));
        Map<String, Object> attributes = new HashMap<>(recorded.attributes());
        if (receipt.actionDigest() != null) {
            attributes.put(DIGEST, receipt.actionDigest());
        }
        return new ActionDescription(recorded.operation(), recorded.target(), recorded.targets(), attributes, recorded.summary());
    }

    @Override
    public FactModel facts() {
        return surface.facts();
    }
}
