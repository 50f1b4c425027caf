package dev.warden.e2e.host;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.StreamingResponseHandler;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.language.StreamingLanguageModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A top-level streaming AI service (memory id {@code SESSION}) whose model answers on a provider thread of its own
 * ({@link NestedAssistantHost.ProviderThread}: started before any call, no hand-off carries an identity to it), and
 * reports {@code OUTPUT_TOKENS} output tokens per answer, a long one. The caller asks {@code TURNS} times in a row,
 * each turn once the previous one completed.
 *
 * <p>With {@code chat} or {@code language} (and BILL_FILE), the application calls the streaming chat model, or a
 * streaming language model, itself, with handlers of its own that take their {@code onCompleteResponse} (or
 * {@code onComplete}) from elsewhere (the chat model overrides {@code chat} itself): odd turns from a class that is no handler, even turns from a default of an
 * interface extending the handler's. The provider appends the output tokens of each answer it streams to BILL_FILE.
 *
 * <pre>
 *   java StreamingAssistantHost SESSION TURNS OUTPUT_TOKENS [chat|language BILL_FILE]
 *   out: TURN n answer=TEXT completed-on=THREAD | TURN n refused=MESSAGE | DONE
 * </pre>
 */
public final class StreamingAssistantHost {

    interface Assistant {
        TokenStream chat(@MemoryId String session, @UserMessage String request);
    }

    /**
     * Answers on the provider's thread, reporting the tokens a provider would: the input's, and a long answer's. With a
     * bill (the application's own calls), every second report says a total of 1 beside those parts, as a provider whose
     * server writes {@code total_tokens} low does.
     */
    static final class VerboseModel implements StreamingChatModel {
        private final NestedAssistantHost.ProviderThread provider = new NestedAssistantHost.ProviderThread();
        private final int outputTokens;
        private final Path bill;
        private int answers;

        VerboseModel(int outputTokens, Path bill) {
            this.outputTokens = outputTokens;
            this.bill = bill;
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            stream(request, handler);
        }

        void stream(ChatRequest request, StreamingChatResponseHandler handler) {
            provider.post(() -> {
                if (bill != null) {
                    billed(bill, outputTokens);
                }
                long inputChars = request.messages().stream().mapToLong(message -> message.toString().length()).sum();
                String answer = "answer " + request.messages().size() + " on " + Thread.currentThread().getName();
                handler.onPartialResponse(answer);
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(answer)).modelName("scripted-1")
                        .tokenUsage(usage((int) (inputChars / 4), outputTokens, bill != null && ++answers % 2 == 0)).build());
            });
        }
    }

    /** An application's completion callback, in a class that is no handler: its handler subclass inherits it. */
    static class Completion {
        final CompletableFuture<String> answer = new CompletableFuture<>();

        public void onCompleteResponse(ChatResponse response) {
            answer.complete(response.aiMessage().text() + " completed-on=" + Thread.currentThread().getName());
        }

        public void onComplete(Response<String> response) {
            answer.complete(response.content() + " completed-on=" + Thread.currentThread().getName());
        }

        public void onError(Throwable error) {
            answer.completeExceptionally(error);
        }
    }

    static final class InheritingChatHandler extends Completion implements StreamingChatResponseHandler {
        @Override
        public void onPartialResponse(String partial) {
        }
    }

    static final class InheritingLanguageHandler extends Completion implements StreamingResponseHandler<String> {
        @Override
        public void onNext(String token) {
        }
    }

    /** A handler interface of the application's whose default completes: its implementations declare no completion. */
    interface AnsweringChatHandler extends StreamingChatResponseHandler {
        CompletableFuture<String> answer();

        @Override
        default void onPartialResponse(String partial) {
        }

        @Override
        default void onCompleteResponse(ChatResponse response) {
            answer().complete(response.aiMessage().text() + " completed-on=" + Thread.currentThread().getName());
        }

        @Override
        default void onError(Throwable error) {
            answer().completeExceptionally(error);
        }
    }

    record ChatAnswer(CompletableFuture<String> answer) implements AnsweringChatHandler {
    }

    interface AnsweringLanguageHandler extends StreamingResponseHandler<String> {
        CompletableFuture<String> answer();

        @Override
        default void onNext(String token) {
        }

        @Override
        default void onComplete(Response<String> response) {
            answer().complete(response.content() + " completed-on=" + Thread.currentThread().getName());
        }

        @Override
        default void onError(Throwable error) {
            answer().completeExceptionally(error);
        }
    }

    record LanguageAnswer(CompletableFuture<String> answer) implements AnsweringLanguageHandler {
    }

    /**
     * A provider that overrides {@code chat} itself, as several do, so the caller's handler reaches it unwrapped (the
     * interface's own {@code chat} wraps it in a handler of LangChain4j's for the model's listeners).
     */
    static final class OwnChatModel implements StreamingChatModel {
        private final VerboseModel model;

        OwnChatModel(VerboseModel model) {
            this.model = model;
        }

        @Override
        public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
            model.stream(request, handler);
        }
    }

    /** The usage a provider reports; {@code lowTotal}: its total says 1 whatever the parts say. */
    static TokenUsage usage(int input, int output, boolean lowTotal) {
        return lowTotal ? new TokenUsage(input, output, 1) : new TokenUsage(input, output);
    }

    /** A streaming completion model answering on the provider's thread, as {@link VerboseModel} does (a total of 1 every second report). */
    static final class VerboseLanguageModel implements StreamingLanguageModel {
        private final NestedAssistantHost.ProviderThread provider = new NestedAssistantHost.ProviderThread();
        private final int outputTokens;
        private final Path bill;
        private int answers;

        VerboseLanguageModel(int outputTokens, Path bill) {
            this.outputTokens = outputTokens;
            this.bill = bill;
        }

        @Override
        public void generate(String prompt, StreamingResponseHandler<String> handler) {
            provider.post(() -> {
                billed(bill, outputTokens);
                handler.onNext("answer");
                handler.onComplete(Response.from("answer to " + prompt.length() + " chars",
                        usage(prompt.length() / 4, outputTokens, ++answers % 2 == 0)));
            });
        }
    }

    /** The provider's own record of what it streamed: the side channel the test counts. */
    static void billed(Path bill, int outputTokens) {
        try {
            Files.writeString(bill, outputTokens + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's own streaming calls, with handlers that take their completion from elsewhere. */
    private static void direct(String api, int turns, int outputTokens, Path bill) throws Exception {
        OwnChatModel chatModel = new OwnChatModel(new VerboseModel(outputTokens, bill));
        VerboseLanguageModel languageModel = new VerboseLanguageModel(outputTokens, bill);
        for (int turn = 1; turn <= turns; turn++) {
            String prompt = "Tell me more, turn " + turn;
            CompletableFuture<String> answer;
            try {
                if (api.equals("chat")) {
                    ChatRequest request = ChatRequest.builder().messages(dev.langchain4j.data.message.UserMessage.from(prompt)).build();
                    if (turn % 2 == 1) {
                        InheritingChatHandler handler = new InheritingChatHandler();
                        answer = handler.answer;
                        chatModel.chat(request, handler);
                    } else {
                        answer = new CompletableFuture<>();
                        chatModel.chat(request, new ChatAnswer(answer));
                    }
                } else if (turn % 2 == 1) {
                    InheritingLanguageHandler handler = new InheritingLanguageHandler();
                    answer = handler.answer;
                    languageModel.generate(prompt, handler);
                } else {
                    answer = new CompletableFuture<>();
                    languageModel.generate(prompt, new LanguageAnswer(answer));
                }
                System.out.println("TURN " + turn + " answer=" + answer.get(60, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                System.out.println("TURN " + turn + " refused=" + e.getCause().getMessage());
            } catch (RuntimeException e) {
                System.out.println("TURN " + turn + " refused=" + e.getMessage());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String session = args[0];
        int turns = Integer.parseInt(args[1]);
        if (args.length > 3) {
            direct(args[3], turns, Integer.parseInt(args[2]), Path.of(args[4]));
            System.out.println("DONE");
            System.exit(0);
        }
        Assistant assistant = AiServices.builder(Assistant.class).streamingChatModel(new VerboseModel(Integer.parseInt(args[2]), null))
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
