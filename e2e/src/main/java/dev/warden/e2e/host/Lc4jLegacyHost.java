package dev.warden.e2e.host;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

/**
 * {@link AssistantHost}'s synchronous conversation written against what LangChain4j 1.0.0 already
 * had (no invocation parameters, no {@code InvocationContext}): the oldest version Warden claims.
 * Who is asking comes from Warden's configured actor; the memory id is the session.
 *
 * <pre>
 *   java Lc4jLegacyHost SCRIPT SESSION
 *   out: BODY ... | TOOL run=0 tool=T result=TEXT | ANSWER run=0 text=... | DONE
 * </pre>
 */
public final class Lc4jLegacyHost {

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    public static void main(String[] args) {
        AssistantScript script = new AssistantScript(args[0], result -> System.out.println("TOOL run=0 tool="
                + result.toolName() + " result=" + result.text()));
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new AssistantScript.Model(script))
                .tools(new AssistantTools("0"))
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                .build();
        try {
            System.out.println("ANSWER run=0 text=" + assistant.chat(args[1], "Pull the Q1 pipeline and email a summary to the VP."));
        } catch (RuntimeException e) {
            System.out.println("ERROR run=0 " + e);
        }
        System.out.println("DONE");
    }
}
