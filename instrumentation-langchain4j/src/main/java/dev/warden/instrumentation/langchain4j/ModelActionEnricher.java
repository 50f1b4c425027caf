package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A chat-model call: everything the advice collects is already a fact, and none of it is user data, so the receipt keeps it all. */
final class ModelActionEnricher implements ActionEnricher {

    /** The operation of every model call. */
    static final String CHAT = "chat";

    /** What {@code ModelActions} packs, with the AI-service invocation's identity hints. */
    static final FactModel FACTS = FactModel.of(Set.of(CHAT), Set.of("model.name", "model.provider", "model.streaming",
            "model.messages", "model.input.estimate", "model.input.bound", "model.maxOutput", "model.tools", "aiService.interface", "aiService.method",
            "actor", "onBehalfOf", "session")).withTargetAttributes("model.name");

    @Override
    public ActionDescription describe(ActionRequest request) {
        String model = request.target() == null ? "" : request.target();
        Map<String, String> summary = new TreeMap<>();
        request.attributes().forEach((name, value) -> summary.put(name, String.valueOf(value)));
        return new ActionDescription(CHAT, model, Set.of(model), request.attributes(), summary);
    }

    @Override
    public FactModel facts() {
        return FACTS;
    }
}
