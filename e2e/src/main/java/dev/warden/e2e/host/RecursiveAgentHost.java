package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;

/**
 * An agent that can hand a task to another run of itself ("agent as a tool"): its {@code delegate} tool calls the
 * same AI service, in the same conversation (the tool's memory id), on the tool's thread. The scripted model answers
 * every task with the same call, {@code delegate{"task":"again"}}, as a model whose provider gives calls no ids (or the
 * same ones) does. Each time the tool's body runs it POSTs to the test's server ({@code /delegate/<depth>}), the side
 * channel the host cannot fake; the tool stops handing on at {@code MAX_DEPTH} on its own.
 *
 * <pre>
 *   java RecursiveAgentHost URL MAX_DEPTH
 *   out: DELEGATE depth=N | TOOL depth=N result=TEXT | ANSWER text=... | DONE
 * </pre>
 */
public final class RecursiveAgentHost {

    interface Agent {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    /** The tool that hands the task on, to the same agent. */
    public static final class Delegation {
        private final String url;
        private final int maxDepth;
        private Agent agent;
        private int depth;

        Delegation(String url, int maxDepth) {
            this.url = url;
            this.maxDepth = maxDepth;
        }

        @Tool("hands a task to another run of this agent, in the same conversation")
        public String delegate(@ToolMemoryId String session, @P("task") String task) {
            post(url + "/delegate/" + depth);
            System.out.println("DELEGATE depth=" + depth);
            if (depth >= maxDepth) {
                return "deep enough";
            }
            depth++;
            try {
                return agent.chat(session, task);
            } finally {
                depth--;
            }
        }
    }

    private static void post(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.getOutputStream().write('x');
            connection.getResponseCode();
            connection.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        Delegation delegation = new Delegation(args[0], Integer.parseInt(args[1]));
        AssistantScript script = new AssistantScript(List.of(new AssistantScript.Call("delegate", "{\"task\":\"again\"}")),
                result -> System.out.println("TOOL depth=" + delegation.depth + " result=" + result.text()));
        delegation.agent = AiServices.builder(Agent.class).chatModel(new AssistantScript.Model(script)).tools(delegation)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(200)).build();
        try {
            System.out.println("ANSWER text=" + delegation.agent.chat("s9", "Do the task."));
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e);
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
