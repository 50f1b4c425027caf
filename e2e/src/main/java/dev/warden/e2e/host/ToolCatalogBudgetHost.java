package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.ToolExecutor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * N AI-service calls of one session at once, with a tool whose description comes from data (a catalog, an
 * MCP server) and is CJK text, about one token a character. The model, a stand-in provider, bills as one
 * does: the messages' characters / 4 plus every character of the tool specifications it is sent, and
 * appends each bill to BILL_FILE (the side channel). It answers only once every call has either reached it
 * or been refused, so that the calls that run are in flight together.
 *
 * <pre>
 *   java ToolCatalogBudgetHost N CATALOG_CHARS BILL_FILE
 *   out: REFUSED text | CALLS ran=R refused=F | DONE
 * </pre>
 */
public final class ToolCatalogBudgetHost {

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    /** Calls that reached the model or were refused before it: when all have, the model answers. */
    private static final class Settled {
        private final int calls;
        private int settled;

        Settled(int calls) {
            this.calls = calls;
        }

        synchronized void one() {
            settled++;
            notifyAll();
        }

        synchronized void awaitAll() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (settled < calls) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("only " + settled + " of " + calls + " calls settled");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private record Provider(Path bill, Settled settled) implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            long chars = 0;
            for (ChatMessage message : request.messages()) {
                chars += message.toString().length();
            }
            long specified = 0;
            for (ToolSpecification tool : request.toolSpecifications()) {
                specified += tool.name().length() + (tool.description() == null ? 0 : tool.description().length());
            }
            int input = (int) (chars / 4 + specified);
            settled.one();
            try {
                settled.awaitAll();
                Files.writeString(bill, input + 10 + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ChatResponse.builder().aiMessage(AiMessage.from("summary")).tokenUsage(new TokenUsage(input, 10)).build();
        }
    }

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        StringBuilder description = new StringBuilder();
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            description.append((char) (0x4E00 + i % 2000));
        }
        Settled settled = new Settled(calls);
        Map<ToolSpecification, ToolExecutor> tools = Map.of(ToolSpecification.builder().name("lookup_note")
                        .description(description.toString()).parameters(JsonObjectSchema.builder().addStringProperty("id").build()).build(),
                (request, memoryId) -> "note");
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(new Provider(Path.of(args[2]), settled)).tools(tools)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100)).build();
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int call = i;
            results.add(pool.submit(() -> {
                try {
                    assistant.chat("s1", "Summarise document " + call + ".");
                    return true;
                } catch (RuntimeException refused) {
                    System.out.println("REFUSED " + refused.getMessage());
                    settled.one();
                    return false;
                }
            }));
        }
        int ran = 0;
        for (Future<Boolean> result : results) {
            ran += result.get() ? 1 : 0;
        }
        pool.shutdown();
        System.out.println("CALLS ran=" + ran + " refused=" + (calls - ran));
        System.out.println("DONE");
    }
}
