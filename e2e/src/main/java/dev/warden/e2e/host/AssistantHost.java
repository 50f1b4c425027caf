package dev.warden.e2e.host;

import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.agent.tool.ToolExecutionRequest;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary LangChain4j application (no Warden in it): an AI service with real {@code @Tool}
 * methods over a scripted model, run once per argument. Who uses it travels as LangChain4j
 * invocation parameters, as any app would pass its user along.
 *
 * <pre>
 *   java AssistantHost RUN...
 *   RUN  = sync|stream|executor|baggage|compensate|alias|decorated : USER : SCRIPT      e.g. sync:rita:s2
 *   (alias: the application's own dispatch hands the mail tool's executor a request named crm_read, then runs
 *    LangChain4j's DefaultToolExecutor(object, request) for a request naming the mail method by its Java name;
 *    decorated: the same dispatch with the mail tool's executor behind a logging decorator of the application's,
 *    through execute and executeWithContext)
 *   out: BODY run=N tool=T              a tool body ran
 *        TOOL run=N tool=T error=B result=TEXT    what the model read back from a tool
 *        ANSWER run=N text=TEXT  |  ERROR run=N ...
 * </pre>
 */
public final class AssistantHost {

    /** The assistant's own name: the actor, acting on behalf of the user. */
    static final String ASSISTANT = "sales-assistant";

    public interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request, InvocationParameters parameters);
    }

    interface StreamingAssistant {
        TokenStream chat(@MemoryId String session, @UserMessage String request, InvocationParameters parameters);
    }

    public static void main(String[] args) throws Exception {
        for (int run = 0; run < args.length; run++) {
            String[] parts = args[run].split(":");
            try {
                System.out.println("ANSWER run=" + run + " text=" + run(run, parts[0], parts[1], parts[2]));
            } catch (Exception e) {
                System.out.println("ERROR run=" + run + " " + e);
            }
        }
        System.out.println("DONE");
    }

    private static String run(int run, String mode, String user, String scriptName) throws Exception {
        String label = Integer.toString(run);
        AssistantScript script = new AssistantScript(scriptName, result -> System.out.println("TOOL run=" + run
                + " tool=" + result.toolName() + " error=" + Boolean.TRUE.equals(result.isError()) + " result=" + result.text()));
        InvocationParameters parameters = InvocationParameters.from(Map.of("warden.actor", ASSISTANT, "warden.onBehalfOf", user));
        String session = user + "-" + run;
        String request = "Pull the Q1 pipeline and email a summary to the VP.";
        switch (mode) {
            case "sync" -> {
                Assistant assistant = AiServices.builder(Assistant.class)
                        .chatModel(new AssistantScript.Model(script))
                        .tools(new AssistantTools(label))
                        .hallucinatedToolNameStrategy(unknown -> { throw new IllegalStateException("no tool " + unknown.name()); })
                        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                        .build();
                return assistant.chat(session, request, parameters);
            }
            case "compensate" -> {
                // LangChain4j undoes the turn's earlier tool calls when a later one fails (a refusal is a failure).
                Assistant assistant = AiServices.builder(Assistant.class)
                        .chatModel(new AssistantScript.Model(script))
                        .tools(new CompensatingTools(label))
                        .compensateOnToolErrors(true)
                        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                        .build();
                return assistant.chat(session, request, parameters);
            }
            case "stream" -> {
                StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
                        .streamingChatModel(new AssistantScript.StreamingModel(script))
                        .tools(new AssistantTools(label))
                        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                        .build();
                CompletableFuture<String> answer = new CompletableFuture<>();
                assistant.chat(session, request, parameters)
                        .onPartialResponse(ignored -> { })
                        .onCompleteResponse(response -> answer.complete(response.aiMessage().text()))
                        .onError(answer::completeExceptionally)
                        .start();
                return answer.get(60, TimeUnit.SECONDS);
            }
            case "executor" -> {
                // A tool executor invoked directly, outside any AI service.
                ToolExecutor executor = new DefaultToolExecutor(new AssistantTools(label),
                        AssistantTools.class.getMethod("emailSend", String.class, String.class, String.class));
                return executor.execute(ToolExecutionRequest.builder().id("direct-1").name("email_send")
                        .arguments("{\"to\":\"" + AssistantScript.EXTERNAL_VP + "\",\"subject\":\"hi\",\"body\":\"hello\"}").build(), session);
            }
            case "baggage" -> {
                // The same executor, called where the app's OpenTelemetry baggage says who is asking.
                ToolExecutor executor = new DefaultToolExecutor(new AssistantTools(label),
                        AssistantTools.class.getMethod("emailSend", String.class, String.class, String.class));
                try (Scope ignored = Baggage.builder().put("enduser.id", user).put("session.id", "otel-" + run).build()
                        .makeCurrent()) {
                    return executor.executeWithContext(ToolExecutionRequest.builder().id("baggage-1").name("email_send")
                            .arguments("{\"to\":\"" + AssistantScript.EXTERNAL_VP + "\",\"subject\":\"hi\",\"body\":\"hello\"}").build(),
                            InvocationContext.builder().build()).resultText();
                }
            }
            case "alias" -> {
                // The application chooses the executor (a table of aliases, a lookup folding case), not the request's name.
                AssistantTools tools = new AssistantTools(label);
                String arguments = "{\"to\":\"" + AssistantScript.EXTERNAL_VP + "\",\"subject\":\"hi\",\"body\":\"hello\"}";
                ToolExecutor mail = new DefaultToolExecutor(tools,
                        AssistantTools.class.getMethod("emailSend", String.class, String.class, String.class));
                String aliased = mail.execute(ToolExecutionRequest.builder().id("alias-1").name("crm_read").arguments(arguments).build(),
                        session);
                ToolExecutionRequest byJavaName = ToolExecutionRequest.builder().id("alias-2").name("emailSend").arguments(arguments).build();
                return aliased + " | " + new DefaultToolExecutor(tools, byJavaName).execute(byJavaName, session);
            }
            case "decorated" -> {
                // The same alias table, with the application's executors behind a decorator of its own (logging).
                String arguments = "{\"to\":\"" + AssistantScript.EXTERNAL_VP + "\",\"subject\":\"hi\",\"body\":\"hello\"}";
                ToolExecutor mail = new Logged(new DefaultToolExecutor(new AssistantTools(label),
                        AssistantTools.class.getMethod("emailSend", String.class, String.class, String.class)));
                String viaExecute = mail.execute(ToolExecutionRequest.builder().id("decorated-1").name("crm_read")
                        .arguments(arguments).build(), session);
                return viaExecute + " | " + mail.executeWithContext(ToolExecutionRequest.builder().id("decorated-2")
                        .name("crm_read").arguments(arguments).build(),
                        InvocationContext.builder().chatMemoryId(session).build()).resultText();
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    /** An application's decorator of its tool executors: logs each call and hands the same request on. */
    static final class Logged implements ToolExecutor {

        private final ToolExecutor delegate;

        Logged(ToolExecutor delegate) {
            this.delegate = delegate;
        }

        @Override
        public String execute(ToolExecutionRequest request, Object memoryId) {
            System.out.println("LOG tool=" + request.name());
            return delegate.execute(request, memoryId);
        }

        @Override
        public dev.langchain4j.service.tool.ToolExecutionResult executeWithContext(ToolExecutionRequest request,
                                                                                  InvocationContext context) {
            System.out.println("LOG tool=" + request.name());
            return delegate.executeWithContext(request, context);
        }
    }
}
