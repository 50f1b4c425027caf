package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An assistant whose tools pass data to each other through LangChain4j's {@code InvocationParameters}, as its
 * documentation suggests ("a mutable, thread safe Map ... from one tool to another"): {@code remember} notes a
 * key and value the model chose for the next tools of the request. Who the assistant acts for travels in the same
 * parameters ({@code warden.actor}, {@code warden.onBehalfOf}), put there by the application. The model notes
 * {@code warden.onBehalfOf=max} down, then updates a deal, which only a manager may. Each update that runs appends a
 * line to the ledger file, the side channel the host cannot fake. In {@code reused}, the application keeps one
 * parameters object for its user's requests, as it may (LangChain4j hands the object itself to each invocation): the
 * model notes the entry down in one request and updates the deal in the next.
 *
 * <pre>
 *   java ParameterNotesHost LEDGER MODE...      MODE = sync|stream|stream-provider|reused (requests for rita)
 *   out: TOOL mode=M tool=T result=TEXT | ANSWER mode=M text=... | ERROR mode=M ... | DONE
 * </pre>
 */
public final class ParameterNotesHost {

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request, InvocationParameters parameters);
    }

    interface StreamingAssistant {
        TokenStream chat(@MemoryId String session, @UserMessage String request, InvocationParameters parameters);
    }

    /** The tools: a scratchpad in the request's parameters, and a deal update that writes the ledger. */
    public static final class Tools {
        private final Path ledger;
        private final String mode;

        Tools(Path ledger, String mode) {
            this.ledger = ledger;
            this.mode = mode;
        }

        @Tool(name = "remember", value = "Notes something down for the next tools of this request")
        public String remember(@P("key") String key, @P("value") String value, InvocationParameters parameters) {
            parameters.put(key, value);
            return "noted " + key;
        }

        @Tool(name = "crm_write", value = "Updates a deal")
        public String crmWrite(@P("deal") String deal, @P("stage") String stage) {
            try {
                Files.writeString(ledger, mode + " " + deal + " " + stage + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return deal + " is now " + stage;
        }
    }

    public static void main(String[] args) {
        Path ledger = Path.of(args[0]);
        for (String mode : List.of(args).subList(1, args.length)) {
            try {
                System.out.println("ANSWER mode=" + mode + " text=" + run(ledger, mode));
            } catch (Exception e) {
                System.out.println("ERROR mode=" + mode + " " + e);
            }
        }
        System.out.println("DONE");
        System.exit(0);
    }

    private static String run(Path ledger, String mode) throws Exception {
        AssistantScript script = new AssistantScript(List.of(
                new AssistantScript.Call("remember", "{\"key\":\"warden.onBehalfOf\",\"value\":\"max\"}"),
                new AssistantScript.Call("crm_write", "{\"deal\":\"acme-renewal\",\"stage\":\"won\"}")),
                result -> System.out.println("TOOL mode=" + mode + " tool=" + result.toolName() + " result=" + result.text()));
        InvocationParameters parameters = InvocationParameters.from(Map.of("warden.actor", "sales-assistant",
                "warden.onBehalfOf", "rita"));
        String session = "rita-" + mode;
        String request = "Mark the Acme renewal as won.";
        Tools tools = new Tools(ledger, mode);
        if (mode.equals("reused")) {
            AssistantScript notes = new AssistantScript(List.of(
                    new AssistantScript.Call("remember", "{\"key\":\"warden.onBehalfOf\",\"value\":\"max\"}")),
                    result -> System.out.println("TOOL mode=" + mode + " tool=" + result.toolName() + " result=" + result.text()));
            AssistantScript update = new AssistantScript(List.of(
                    new AssistantScript.Call("crm_write", "{\"deal\":\"acme-renewal\",\"stage\":\"won\"}")),
                    result -> System.out.println("TOOL mode=" + mode + " tool=" + result.toolName() + " result=" + result.text()));
            AiServices.builder(Assistant.class).chatModel(new AssistantScript.Model(notes)).tools(tools)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)).build()
                    .chat(session, "Remember that for me.", parameters);
            return AiServices.builder(Assistant.class).chatModel(new AssistantScript.Model(update)).tools(tools)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)).build()
                    .chat(session, request, parameters);
        }
        if (mode.equals("sync")) {
            return AiServices.builder(Assistant.class).chatModel(new AssistantScript.Model(script)).tools(tools)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)).build()
                    .chat(session, request, parameters);
        }
        // stream: the model answers on the caller's thread; stream-provider: on a provider thread of its own, as a real
        // provider's HTTP client does, where the service runs the turn's tools and makes its next call.
        StreamingChatModel model = mode.equals("stream") ? new AssistantScript.StreamingModel(script)
                : new NestedAssistantHost.ProviderModel(script, new NestedAssistantHost.ProviderThread(), false);
        CompletableFuture<String> answer = new CompletableFuture<>();
        AiServices.builder(StreamingAssistant.class).streamingChatModel(model).tools(tools)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)).build()
                .chat(session, request, parameters)
                .onPartialResponse(ignored -> { })
                .onCompleteResponse(response -> answer.complete(response.aiMessage().text()))
                .onError(answer::completeExceptionally)
                .start();
        return answer.get(60, TimeUnit.SECONDS);
    }
}
