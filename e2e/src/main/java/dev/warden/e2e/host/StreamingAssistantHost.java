package dev.warden.e2e.host;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A top-level streaming AI service (memory id {@code SESSION}) whose model answers on a provider thread of its own
 * ({@link NestedAssistantHost.ProviderThread}: started before any call, no hand-off carries an identity to it), and
 * reports {@code OUTPUT_TOKENS} output tokens per answer, a long one. The caller asks {@code TURNS} times in a row,
 * each turn once the previous one completed.
 *
 * <pre>
 *   java StreamingAssistantHost SESSION TURNS OUTPUT_TOKENS
 *   out: TURN n answer=TEXT completed-on=THREAD | TURN n refused=MESSAGE | DONE
 * </pre>
 */
public final class StreamingAssistantHost {

    interface Assistant {
        TokenStream chat(@MemoryId String session, @UserMessage String request);
    }

    /** Answers on the provider's thread, reporting the tokens a provider would: the input's, and a long answer's. */
    static final class VerboseModel implements StreamingChatModel {
        private final NestedAssistantHost.ProviderThread provider = new NestedAssistantHost.ProviderThread();
        private final int outputTokens;

        VerboseModel(int outputTokens) {
            this.outputTokens = outputTokens;
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            provider.post(() -> {
                long inputChars = request.messages().stream().mapToLong(message -> message.toString().length()).sum();
                String answer = "answer " + request.messages().size() + " on " + Thread.currentThread().getName();
                handler.onPartialResponse(answer);
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(answer)).modelName("scripted-1")
                        .tokenUsage(new TokenUsage((int) (inputChars / 4), outputTokens)).build());
            });
        }
    }

    public static void main(String[] args) throws Exception {
        String session = args[0];
        int turns = Integer.parseInt(args[1]);
        Assistant assistant = AiServices.builder(Assistant.class).streamingChatModel(new VerboseModel(Integer.parseInt(args[2])))
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100)).build();
        for (int turn = 1; turn <= turns; turn++) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            try {
                assistant.chat(session, "Tell me more, turn " + turn)
                        .onPartialResponse(ignored -> { })
                        .onCompleteResponse(response -> answer.complete(response.aiMessage().text()
                                + " completed-on=" + Thread.currentThread().getName()))
                        .onError(answer::completeExceptionally)
                        .start();
                System.out.println("TURN " + turn + " answer=" + answer.get(60, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                System.out.println("TURN " + turn + " refused=" + e.getCause().getMessage());
            } catch (RuntimeException e) {
                System.out.println("TURN " + turn + " refused=" + e.getMessage());
            }
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
