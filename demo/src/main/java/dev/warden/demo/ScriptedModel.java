package dev.warden.demo;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An offline, deterministic chat model that behaves like a capable assistant on one task: "pull the
 * Q1 pipeline and email a summary to the VP". It calls crm_read, drafts, sends, and then tells the
 * user what it did — or, when a tool answered with a refusal, what it could not do and why.
 */
final class ScriptedModel implements ChatModel {

    static final String VP = "vp@partner.example";

    private final BiConsumer<ToolExecutionRequest, ToolExecutionResultMessage> onToolResult;

    ScriptedModel(BiConsumer<ToolExecutionRequest, ToolExecutionResultMessage> onToolResult) {
        this.onToolResult = onToolResult;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        int start = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof UserMessage) {
                start = i;
            }
        }
        List<ToolExecutionRequest> calls = new ArrayList<>();
        List<ToolExecutionResultMessage> results = new ArrayList<>();
        for (ChatMessage message : messages.subList(start, messages.size())) {
            if (message instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
                calls.addAll(ai.toolExecutionRequests());
            } else if (message instanceof ToolExecutionResultMessage result) {
                results.add(result);
            }
        }
        if (!results.isEmpty()) {
            onToolResult.accept(calls.get(results.size() - 1), results.get(results.size() - 1));
        }
        AiMessage next = switch (results.size()) {
            case 0 -> call("crm_read", "{\"quarter\":\"Q1\"}");
            case 1 -> call("email_draft", mail(results.get(0).text()));
            case 2 -> call("email_send", mail(results.get(0).text()));
            default -> AiMessage.from(answer(results));
        };
        int input = messages.stream().mapToInt(message -> message.toString().length() / 4).sum();
        return ChatResponse.builder().aiMessage(next).modelName("offline-assistant")
                .tokenUsage(new TokenUsage(input, next.text() == null ? 20 : next.text().length() / 4)).build();
    }

    private static AiMessage call(String tool, String arguments) {
        return AiMessage.from(ToolExecutionRequest.builder().id(tool + "-1").name(tool).arguments(arguments).build());
    }

    private static String mail(String pipeline) {
        String summary = pipeline.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"to\":\"" + VP + "\",\"subject\":\"Q1 pipeline\",\"body\":\"Summary: " + summary + "\"}";
    }

    private static String answer(List<ToolExecutionResultMessage> results) {
        ToolExecutionResultMessage send = results.get(results.size() - 1);
        if (send.text().startsWith("warden:")) {
            return "I pulled the Q1 pipeline and prepared the summary, but I may not send it to " + VP
                    + ": " + send.text();
        }
        return "Done: the Q1 pipeline summary is on its way to " + VP + ".";
    }
}
