package dev.warden.jmh.sessions;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A deterministic stand-in for an LLM, shared by every session as a real client is: asked about an account,
 * it calls both tools at once (as models make parallel tool calls); shown their results, it answers with them,
 * or with {@code FAILED} when a tool reported an error (a refusal included). It reports usage, as providers do.
 * It can take the time a provider takes to answer (on average {@code latencyMillis}, uniformly between half and
 * one and a half times that, so that sessions that started together drift apart instead of acting in bursts),
 * during which its caller's thread waits and uses no CPU: a remote model's round trip, so that sessions spend
 * most of their time waiting, as real conversations do, instead of all competing for the CPU at once.
 */
final class ScriptedModel implements ChatModel {

    static final String FAILED = "FAILED";
    private static final String ACCOUNT = "account ";

    private final ActionCounts actions;
    private final long latencyNanos;
    private final AtomicLong callIds = new AtomicLong();

    ScriptedModel(ActionCounts actions, int latencyMillis) {
        this.actions = actions;
        this.latencyNanos = latencyMillis * 1_000_000L;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        actions.add("model:chat");
        actions.add("model:usage"); // the usage below is recorded as a receipt of its own
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        AiMessage answer = last instanceof UserMessage asked ? callTools(asked.singleText()) : answer(messages);
        if (latencyNanos > 0) {
            respondAfter(latencyNanos / 2 + ThreadLocalRandom.current().nextLong(latencyNanos));
        }
        return ChatResponse.builder().aiMessage(answer).modelName("scripted").tokenUsage(new TokenUsage(120, 24)).build();
    }

    private AiMessage callTools(String question) {
        int at = question.indexOf(ACCOUNT);
        String id = question.substring(at + ACCOUNT.length()).replaceAll("\\D.*", "");
        String arguments = "{\"id\":" + id + "}";
        actions.add("tool:account_lookup");
        actions.add("tool:quote_fetch");
        return AiMessage.from(List.of(
                ToolExecutionRequest.builder().id("call-" + callIds.incrementAndGet()).name("account_lookup").arguments(arguments).build(),
                ToolExecutionRequest.builder().id("call-" + callIds.incrementAndGet()).name("quote_fetch").arguments(arguments).build()));
    }

    /** The provider's round trip: the workload being modelled, not a wait for anything in this process. */
    private static void respondAfter(long nanos) {
        long until = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** The results since the question, joined; FAILED naming the first tool that reported an error. */
    private static AiMessage answer(List<ChatMessage> messages) {
        StringBuilder text = new StringBuilder();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage result; i--) {
            if (Boolean.TRUE.equals(result.isError()) || result.text().startsWith("warden:")) {
                return AiMessage.from(FAILED + " " + result.toolName() + ": " + result.text());
            }
            text.insert(0, result.toolName() + "=" + result.text() + "; ");
        }
        return AiMessage.from(text.toString());
    }
}
