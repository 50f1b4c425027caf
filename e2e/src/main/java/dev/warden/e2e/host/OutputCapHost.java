package dev.warden.e2e.host;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An AI service whose provider (written as providers are: it sends the request's maximum output, when it names one, as
 * {@code max_tokens}) asks a model server at 127.0.0.1:PORT, which writes as many tokens as it is allowed, or the long
 * answer the prompt asks for when it is told no maximum. The requests name no maximum. CALLS calls one after the other,
 * of one session, blocking or streaming.
 * With {@code -options}, the provider overrides {@code chat(request, options[, handler])} (1.19+) instead of {@code doChat}.
 * With {@code streaming-zeroing}, the application's handler of each token reports usage 0 for the call before the provider does.
 *
 * <pre>
 *   java OutputCapHost blocking|streaming[-options]|streaming-zeroing PORT CALLS
 *   out: ANSWERED tokens | REFUSED text | DONE
 * </pre>
 */
public final class OutputCapHost {

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    interface StreamingAssistant {
        TokenStream chat(@MemoryId String session, @UserMessage String request);
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Sends the request's maximum output as the server's {@code max_tokens}, as a provider does; nothing when it names none. */
    private static HttpRequest toServer(URI server, ChatRequest request, boolean stream) {
        String body = "stream: " + stream + "\n" + (request.maxOutputTokens() == null ? "" : "max_tokens: " + request.maxOutputTokens() + "\n");
        return HttpRequest.newBuilder(server).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** What a provider does: sends the request, reads the answer and the tokens it holds. */
    private static ChatResponse ask(URI server, ChatRequest request) {
        try {
            String answer = HTTP.send(toServer(server, request, false), HttpResponse.BodyHandlers.ofString()).body();
            int tokens = answer.isEmpty() ? 0 : answer.split(" ").length;
            return ChatResponse.builder().aiMessage(AiMessage.from(answer)).tokenUsage(new TokenUsage(20, tokens)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a streaming provider does: hands each token to the handler as it arrives, then the usage. */
    private static void stream(URI server, ChatRequest request, StreamingChatResponseHandler handler) {
        try {
            HttpResponse<java.io.InputStream> response = HTTP.send(toServer(server, request, true), HttpResponse.BodyHandlers.ofInputStream());
            int tokens = 0;
            StringBuilder text = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String token = lines.readLine(); token != null; token = lines.readLine()) {
                    tokens++;
                    text.append(token).append(' ');
                    handler.onPartialResponse(token + " ");
                }
            }
            handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(text.toString()))
                    .tokenUsage(new TokenUsage(20, tokens)).build());
        } catch (Exception e) {
            handler.onError(e);
        }
    }

    private record Provider(URI server) implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            return ask(server, request);
        }
    }

    /** Reports usage 0 for the innermost decided model call, by every public way there is, naming {@code reporter} where asked. */
    static void reportZero(Object reporter) {
        try {
            Class<?> scopes = Class.forName("dev.warden.bootstrap.ActionScope");
            Object scope = scopes.getMethod("innermostDecided", String.class).invoke(null, "model");
            Object decision = scope == null ? null : scopes.getMethod("decision").invoke(scope);
            if (decision == null) {
                return;
            }
            Class<?> decisions = Class.forName("dev.warden.bootstrap.Decision");
            Class<?> actions = Class.forName("dev.warden.bootstrap.langchain4j.ModelActions");
            for (java.lang.reflect.Method usage : actions.getMethods()) {
                if (usage.getName().equals("usage")) {
                    Object[] arguments = usage.getParameterCount() == 4 ? new Object[] {decision, 0, 0, 0}
                            : new Object[] {reporter, decision, 0, 0, 0};
                    usage.invoke(null, arguments);
                }
            }
            String receipt = (String) decisions.getMethod("receiptId").invoke(decision);
            Class.forName("dev.warden.bootstrap.Gate").getMethod("observe", String.class, String.class, String.class, java.util.Map.class)
                    .invoke(null, receipt, "model", "usage", java.util.Map.of("usage.input", 0L, "usage.output", 0L, "usage.total", 0L));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private record StreamingProvider(URI server) implements StreamingChatModel {
        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            stream(server, request, handler);
        }
    }

    /** A provider that overrides {@code chat(request, options)} (1.19+), which the interface's {@code chat(request)} calls, not {@code doChat}. */
    private record OptionsProvider(URI server) implements ChatModel {
        @Override
        public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
            return ask(server, request);
        }
    }

    /** The streaming one: {@code chat(request, options, handler)}. */
    private record StreamingOptionsProvider(URI server) implements StreamingChatModel {
        @Override
        public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
            stream(server, request, handler);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean streaming = args[0].startsWith("streaming");
        boolean options = args[0].endsWith("-options");
        // The application's own code, run inside each permitted call as it streams (the provider hands it each token on the
        // caller's thread), finds the call's decision through Warden's public ActionScope and reports usage 0 for it through
        // the public ModelActions.usage and Gate.observe, before the provider's report: until the eleventh review the first
        // report was taken and the real one ignored, so the budget counted none of the calls' output.
        boolean zeroing = args[0].endsWith("-zeroing");
        URI server = URI.create("http://127.0.0.1:" + args[1] + "/chat");
        int calls = Integer.parseInt(args[2]);
        String prompt = "Write the whole history of the company, at least five thousand words.";
        for (int i = 0; i < calls; i++) {
            try {
                String answer;
                if (streaming) {
                    StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class).streamingChatModel(options ? new StreamingOptionsProvider(server) : new StreamingProvider(server))
                            .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(2)).build();
                    CompletableFuture<String> done = new CompletableFuture<>();
                    assistant.chat("s1", prompt).onPartialResponse(token -> {
                                if (zeroing) {
                                    reportZero(token);
                                }
                            })
                            .onCompleteResponse(response -> done.complete(response.aiMessage().text()))
                            .onError(done::completeExceptionally).start();
                    answer = done.get(60, TimeUnit.SECONDS);
                } else {
                    Assistant assistant = AiServices.builder(Assistant.class).chatModel(options ? new OptionsProvider(server) : new Provider(server))
                            .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(2)).build();
                    answer = assistant.chat("s1", prompt);
                }
                System.out.println("ANSWERED " + (answer.isBlank() ? 0 : answer.trim().split(" ").length));
            } catch (RuntimeException | java.util.concurrent.ExecutionException refused) {
                System.out.println("REFUSED " + refused.getMessage());
            }
        }
        System.out.println("DONE");
    }
}
