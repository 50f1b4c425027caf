package dev.warden.e2e.host;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An application that sends prompts built from data to a chat model, one call per argument after the first. The
 * stand-in provider appends each prompt it receives to a file (the first argument): what left the process.
 * Prints {@code OK step=N} or {@code DENIED step=N message=...} per call.
 *
 * <p>An argument {@code own:TEXT} is sent to a provider that overrides {@code chat(ChatRequest)} itself, as several do;
 * {@code drift:FIRST|THEN} sends it a request of the application's own class ({@code ChatRequest} is not final) whose
 * messages are FIRST when read once and THEN from the second read on.
 */
public final class PromptHost {

    private PromptHost() {
    }

    /** A provider that receives the prompt: here, a line in a file. */
    static final class RecordingProvider implements ChatModel {
        private final Path received;

        RecordingProvider(Path received) {
            this.received = received;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            return send(received, request);
        }
    }

    /** What a provider does with a request: sends its messages, here appended to the file. */
    static ChatResponse send(Path received, ChatRequest request) {
        try {
            Files.writeString(received, ((UserMessage) request.messages().get(0)).singleText() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
    }

    /** A provider that overrides {@code chat(ChatRequest)}: the request the application hands it is the one it reads. */
    static final class OwnChatProvider implements ChatModel {
        private final Path received;

        OwnChatProvider(Path received) {
            this.received = received;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            return send(received, request);
        }
    }

    /** A request of the application's class: its first read of the messages says one prompt, every later one another. */
    static final class DriftingRequest extends ChatRequest {
        private final java.util.List<dev.langchain4j.data.message.ChatMessage> then;
        private int reads;

        DriftingRequest(String first, String then) {
            super(ChatRequest.builder().messages(UserMessage.from(first)));
            this.then = java.util.List.of(UserMessage.from(then));
        }

        @Override
        public java.util.List<dev.langchain4j.data.message.ChatMessage> messages() {
            return reads++ == 0 ? super.messages() : then;
        }
    }

    public static void main(String[] args) {
        ChatModel provider = new RecordingProvider(Path.of(args[0]));
        ChatModel own = new OwnChatProvider(Path.of(args[0]));
        for (int step = 1; step < args.length; step++) {
            try {
                String prompt = args[step];
                ChatResponse response;
                if (prompt.startsWith("drift:")) {
                    String[] texts = prompt.substring("drift:".length()).split("\\|", 2);
                    response = own.chat(new DriftingRequest(texts[0], texts[1]));
                } else if (prompt.startsWith("own:")) {
                    response = own.chat(ChatRequest.builder().messages(UserMessage.from(prompt.substring("own:".length()))).build());
                } else {
                    response = provider.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).build());
                }
                System.out.println("OK step=" + (step - 1) + " " + response.aiMessage().text());
            } catch (RuntimeException failure) {
                System.out.println((String.valueOf(failure.getMessage()).startsWith("warden:") ? "DENIED" : "ERROR") + " step="
                        + (step - 1) + " message=" + failure.getMessage());
            }
        }
        System.out.println("DONE");
    }
}
