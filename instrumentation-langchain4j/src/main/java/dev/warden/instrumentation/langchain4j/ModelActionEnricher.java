package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;

import dev.warden.bootstrap.langchain4j.ModelActions;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A model call (a chat, a completion or a batch of chats, told apart by {@code model.api}): everything the advice collects is already a fact, and none of it is user data, so the receipt keeps
 * it all; but the digest of what is asked ({@code model.request.digest}), which the action's digest binds and which is
 * neither a fact nor recorded.
 */
final class ModelActionEnricher implements ActionEnricher {

    /** The operation of every model call: a completion or a batch is one, so what a policy says of chat covers it. */
    static final String CHAT = "chat";

    /** What {@code ModelActions} packs, with the AI-service invocation's identity hints. */
    static final FactModel FACTS = FactModel.of(Set.of(CHAT), Set.of("model.name", "model.api", "model.batch.size", "model.provider", "model.streaming",
            "model.messages", "model.input.estimate", "model.input.bound", "model.maxOutput", "model.tools", "aiService.interface", "aiService.method",
            "memoryId",
            "actor", "onBehalfOf", "session")).withTargetAttributes("model.name");

    @Override
    public ActionDescription describe(ActionRequest request) {
        String model = request.target() == null ? "" : request.target();
        Map<String, Object> attributes = new HashMap<>(request.attributes());
        Object asked = attributes.remove(ModelActions.REQUEST_DIGEST);
        attributes.remove(ModelActions.ASKED_DIGEST); // a part of what REQUEST_DIGEST binds
        Map<String, String> summary = new TreeMap<>();
        attributes.forEach((name, value) -> summary.put(name, String.valueOf(value)));
        return new ActionDescription(CHAT, model, Set.of(model), attributes, summary,
                asked == null ? Map.of() : Map.of(ModelActions.REQUEST_DIGEST, asked.toString()));
    }

    @Override
    public FactModel facts() {
        return FACTS;
    }
}
