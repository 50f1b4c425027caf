package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario S14's application (no Warden in it): a LangChain4j AI service whose model may run shell
 * commands through a real {@code @Tool}, as coding and ops assistants do. The scripted model asks for
 * each command given as an argument, in order, then answers.
 *
 * <pre>
 *   java ShellAssistantHost COMMAND...
 *   out: BODY tool=run_command command=C          the tool's body ran
 *        RAN command=C exit=E out=O              the process ran
 *        TOOL run=0 tool=run_command error=B result=TEXT    what the model read back
 *        ANSWER text=TEXT  |  ERROR ...
 * </pre>
 */
public final class ShellAssistantHost {

    interface Assistant {
        String chat(String request);
    }

    /** The assistant's one tool: runs a command line, split on spaces, and answers with its output. */
    public static final class ShellTools {

        @Tool(name = "run_command", value = "Runs a shell command and returns its output")
        public String runCommand(@P("command") String command) throws IOException, InterruptedException {
            System.out.println("BODY tool=run_command command=" + command);
            Process process = new ProcessBuilder(command.split(" ")).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(60, TimeUnit.SECONDS);
            System.out.println("RAN command=" + command + " exit=" + process.exitValue() + " out=" + out);
            return out;
        }
    }

    public static void main(String[] commands) {
        List<AssistantScript.Call> calls = new ArrayList<>();
        for (String command : commands) {
            calls.add(new AssistantScript.Call("run_command", "{\"command\":\"" + command.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"));
        }
        AssistantScript script = new AssistantScript(calls, result -> System.out.println("TOOL run=0 tool=" + result.toolName()
                + " error=" + Boolean.TRUE.equals(result.isError()) + " result=" + result.text().replace("\n", "\\n")));
        try {
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(new AssistantScript.Model(script))
                    .tools(new ShellTools())
                    .chatMemory(MessageWindowChatMemory.withMaxMessages(50))
                    .build();
            System.out.println("ANSWER text=" + assistant.chat("Check that the service is up and tell me.").replace("\n", "\\n"));
        } catch (Exception e) {
            System.out.println("ERROR " + e);
        }
        System.out.println("DONE");
    }
}
