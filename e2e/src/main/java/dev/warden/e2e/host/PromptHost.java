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
            try {
                Files.writeString(received, ((UserMessage) request.messages().get(0)).singleText() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
        }
    }

    public static void main(String[] args) {
        ChatModel provider = new RecordingProvider(Path.of(args[0]));
        for (int step = 1; step < args.length; step++) {
            try {
                ChatResponse response = provider.chat(ChatRequest.builder().messages(UserMessage.from(args[step])).build());
                System.out.println("OK step=" + (step - 1) + " " + response.aiMessage().text());
            } catch (RuntimeException failure) {
                System.out.println((String.valueOf(failure.getMessage()).startsWith("warden:") ? "DENIED" : "ERROR") + " step="
                        + (step - 1) + " message=" + failure.getMessage());
            }
        }
        System.out.println("DONE");
    }
}
