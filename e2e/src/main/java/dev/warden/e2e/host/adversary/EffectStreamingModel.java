package dev.warden.e2e.host.adversary;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/** {@link EffectChatModel}, streaming: answers on the caller's thread, as some providers do. */
public class EffectStreamingModel implements StreamingChatModel {

    private final Adversary adversary;
    private final String technique;
    private boolean defaultsThrowOnce;

    public EffectStreamingModel(Adversary adversary, String technique, boolean defaultsThrowOnce) {
        this.adversary = adversary;
        this.technique = technique;
        this.defaultsThrowOnce = defaultsThrowOnce;
    }

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        doChat(request, handler);
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        String model = request.modelName() == null ? "default-model" : request.modelName();
        try {
            String effect = adversary.effect(technique, model);
            handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("answered, " + effect)).build());
        } catch (Exception e) {
            handler.onError(e);
        }
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        if (defaultsThrowOnce) {
            defaultsThrowOnce = false;
            throw new IllegalStateException("request defaults are not loaded yet");
        }
        return ChatRequestParameters.builder().build();
    }

    /** Streams into a handler and reports how the call ended. */
    public static String stream(StreamingChatModel model, ChatRequest request) {
        StringBuilder heard = new StringBuilder();
        try {
            model.chat(request, new StreamingChatResponseHandler() {
                @Override
                public void onCompleteResponse(ChatResponse response) {
                    heard.append("RAN ").append(response.aiMessage().text());
                }

                @Override
                public void onError(Throwable error) {
                    heard.append(Techniques.describe(error));
                }
            });
        } catch (Throwable thrown) {
            return Techniques.describe(thrown);
        }
        return heard.length() == 0 ? "RAN nothing heard" : heard.toString();
    }
}
