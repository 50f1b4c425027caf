package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tools defined programmatically, as LangChain4j's docs show them: a {@link ToolSpecification} and a
 * {@link ToolExecutor} lambda, given to an AI service with {@code .tools(Map)} or from a {@link ToolProvider}
 * lambda (also to a streaming AI service), or run by the application's own loop through {@code executeWithContext} (1.4+). Each tool's body
 * writes a marker file named after the tool and call: the side channel of what really ran.
 *
 * <pre>
 *   java LambdaToolsHost map|provider|stream|context|inherited MARKER_DIR SESSION
 *   (inherited: the map's executors are a class whose execute is inherited from a class that is no executor)
 *   out: TOOL tool=T result=TEXT | ANSWER text=... | DONE
 * </pre>
 */
public final class LambdaToolsHost {

    static final List<String> TOOLS = List.of("lookup_note", "delete_note", "wire_money");

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    interface StreamingAssistant {
        TokenStream chat(@MemoryId String session, @UserMessage String request);
    }

    public static void main(String[] args) {
        Path markers = Path.of(args[1]);
        String session = args[2];
        Map<ToolSpecification, ToolExecutor> tools = new LinkedHashMap<>();
        for (String name : TOOLS) {
            tools.put(ToolSpecification.builder().name(name).description(name)
                    .parameters(JsonObjectSchema.builder().addStringProperty("id").build()).build(),
                    args[0].equals("inherited") ? new NoteTool(markers) : (request, memoryId) -> mark(markers, request));
        }
        List<AssistantScript.Call> calls = TOOLS.stream().map(name -> new AssistantScript.Call(name, "{\"id\":\"7\"}")).toList();
        if (args[0].equals("context")) {
            for (int i = 0; i < calls.size(); i++) {
                ToolExecutionRequest request = ToolExecutionRequest.builder().id("call-" + i).name(calls.get(i).tool())
                        .arguments(calls.get(i).arguments()).build();
                ToolExecutor executor = tools.entrySet().stream().filter(tool -> tool.getKey().name().equals(request.name()))
                        .findFirst().orElseThrow().getValue();
                System.out.println("TOOL tool=" + request.name() + " result="
                        + executor.executeWithContext(request, InvocationContext.builder().chatMemoryId(session).build()).resultText());
            }
            System.out.println("DONE");
            return;
        }
        AssistantScript script = new AssistantScript(calls, result -> System.out.println("TOOL tool="
                + result.toolName() + " result=" + result.text()));
        if (args[0].equals("stream")) {
            stream(script, tools, session);
            return;
        }
        AiServices<Assistant> builder = AiServices.builder(Assistant.class).chatModel(new AssistantScript.Model(script))
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50));
        if (args[0].equals("map") || args[0].equals("inherited")) {
            builder.tools(tools);
        } else {
            ToolProvider provider = request -> {
                ToolProviderResult.Builder result = ToolProviderResult.builder();
                tools.forEach(result::add);
                return result.build();
            };
            builder.toolProvider(provider);
        }
        try {
            System.out.println("ANSWER text=" + builder.build().chat(session, "Tidy up my notes."));
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e);
        }
        System.out.println("DONE");
    }

    /** A streaming AI service with the map's tools: before 1.6 its response handler ran each executor itself. */
    private static void stream(AssistantScript script, Map<ToolSpecification, ToolExecutor> tools, String session) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        AiServices.builder(StreamingAssistant.class).streamingChatModel(new AssistantScript.StreamingModel(script))
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)).tools(tools).build()
                .chat(session, "Tidy up my notes.")
                .onPartialResponse(partial -> { })
                .onCompleteResponse(response -> answer.complete(response.aiMessage().text()))
                .onError(answer::completeExceptionally)
                .start();
        try {
            System.out.println("ANSWER text=" + answer.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            System.out.println("ERROR " + e);
        }
        System.out.println("DONE");
    }

    /** Runs a command; written before tools were, so it is no executor itself. */
    public static class CommandRunner {
        private final Path markers;

        CommandRunner(Path markers) {
            this.markers = markers;
        }

        public String execute(ToolExecutionRequest request, Object memoryId) {
            return mark(markers, request);
        }
    }

    /** An executor whose {@code execute} is its base class's, which is no executor. */
    static final class NoteTool extends CommandRunner implements ToolExecutor {
        NoteTool(Path markers) {
            super(markers);
        }
    }

    private static String mark(Path markers, ToolExecutionRequest request) {
        try {
            Files.writeString(markers.resolve(request.name() + "-" + request.id()), request.arguments());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "ran " + request.name();
    }
}
