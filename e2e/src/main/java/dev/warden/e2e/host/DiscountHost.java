package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A sales assistant on LangChain4j (no Warden in it) whose {@code apply_discount} tool takes the rate as a
 * {@code double} and appends every discount it applies to a ledger file. Each argument is one conversation in which
 * the scripted model calls the tool once with the given JSON arguments.
 * <pre>
 *   java DiscountHost LEDGER JSON...
 *   out: TOOL run=N error=B result=TEXT | ANSWER run=N text=TEXT | ERROR run=N ... | DONE
 * </pre>
 */
public final class DiscountHost {

    public interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request, InvocationParameters parameters);
    }

    public static final class DiscountTools {
        private final Path ledger;

        DiscountTools(Path ledger) {
            this.ledger = ledger;
        }

        @Tool(name = "apply_discount", value = "Applies a discount rate (0..1) to an order")
        public String applyDiscount(@P("order") String order, @P("rate") double rate) throws Exception {
            Files.writeString(ledger, "order=" + order + " rate=" + rate + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return "discount " + rate + " applied to " + order;
        }
    }

    public static void main(String[] args) throws Exception {
        Path ledger = Path.of(args[0]);
        for (int run = 1; run < args.length; run++) {
            int shown = run - 1;
            try {
                AssistantScript script = new AssistantScript(List.of(new AssistantScript.Call("apply_discount", args[run])),
                        result -> System.out.println("TOOL run=" + shown + " error=" + Boolean.TRUE.equals(result.isError())
                                + " result=" + result.text()));
                Assistant assistant = AiServices.builder(Assistant.class)
                        .chatModel(new AssistantScript.Model(script))
                        .tools(new DiscountTools(ledger))
                        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                        .build();
                System.out.println("ANSWER run=" + shown + " text=" + assistant.chat("run-" + shown, "Give the customer a discount.",
                        InvocationParameters.from(Map.of("warden.actor", "sales-assistant"))));
            } catch (Exception e) {
                System.out.println("ERROR run=" + shown + " " + e);
            }
        }
        System.out.println("DONE");
    }
}
