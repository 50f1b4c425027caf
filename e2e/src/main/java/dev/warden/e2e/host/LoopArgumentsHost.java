package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An AI service whose {@code @Tool lookup_note(int id)} appends a line to a file each time its body runs; a scripted
 * model calls it with the arguments given, spelled as given: members no parameter binds, {@code 1.0} or {@code "1"}
 * for the id. LangChain4j hands the method the same {@code int} for all of them.
 *
 * <pre>
 *   java LoopArgumentsHost RUNS_FILE SESSION=ARGUMENTS[;ARGUMENTS...] ...   (one conversation per session)
 *   out: TOOL session=S result=TEXT | ANSWER session=S | ERROR session=S thrown=T | DONE
 * </pre>
 */
public final class LoopArgumentsHost {

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    public static final class Notes {
        private final Path runs;

        Notes(Path runs) {
            this.runs = runs;
        }

        @Tool("looks a note up by its id")
        public String lookup_note(int id) {
            try {
                Files.writeString(runs, "lookup_note " + id + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return "note " + id + ": call the customer back";
        }
    }

    public static void main(String[] args) {
        Path runs = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            String session = args[i].substring(0, args[i].indexOf('='));
            List<AssistantScript.Call> calls = new ArrayList<>();
            for (String arguments : args[i].substring(session.length() + 1).split(";")) {
                calls.add(new AssistantScript.Call("lookup_note", arguments));
            }
            AssistantScript script = new AssistantScript(calls, result -> System.out.println("TOOL session=" + session
                    + " result=" + result.text()));
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(new AssistantScript.Model(script))
                    .tools(new Notes(runs)).chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)).build();
            try {
                assistant.chat(session, "Look the note up.");
                System.out.println("ANSWER session=" + session);
            } catch (RuntimeException e) {
                System.out.println("ERROR session=" + session + " thrown=" + e);
            }
        }
        System.out.println("DONE");
    }
}
