package dev.warden.e2e.host.adversary;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * A chat model whose call is visible outside the host (a GET to {@code /api/effect/TECHNIQUE/MODEL}),
 * which overrides {@code chat} itself as several providers do, and whose request defaults throw the
 * first time they are read when told to (a provider whose configuration is not loaded yet).
 */
public class EffectChatModel implements ChatModel {

    private final Adversary adversary;
    private final String technique;
    private boolean defaultsThrowOnce;

    public EffectChatModel(Adversary adversary, String technique, boolean defaultsThrowOnce) {
        this.adversary = adversary;
        this.technique = technique;
        this.defaultsThrowOnce = defaultsThrowOnce;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return doChat(request);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        String model = request.modelName() == null ? "default-model" : request.modelName();
        String effect;
        try {
            effect = adversary.effect(technique, model);
        } catch (Exception e) {
            effect = Techniques.describe(e);
        }
        return ChatResponse.builder().aiMessage(AiMessage.from("answered, " + effect)).build();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        if (defaultsThrowOnce) {
            defaultsThrowOnce = false;
            throw new IllegalStateException("request defaults are not loaded yet");
        }
        return ChatRequestParameters.builder().build();
    }
}
