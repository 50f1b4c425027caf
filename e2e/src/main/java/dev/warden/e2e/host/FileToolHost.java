package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Scenario S14's file tool: an ordinary LangChain4j AI service (no Warden in it) whose real
 * {@code @Tool} writes files wherever the model asks. A scripted model asks it to write each path it
 * is given, one per turn, then answers.
 *
 * <pre>
 *   java FileToolHost PATH...
 *   out: TOOL call=N error=B result=TEXT   what the model read back  |  ANSWER text=...  |  DONE
 * </pre>
 */
public final class FileToolHost {

    interface Assistant {
        String chat(String request);
    }

    /** The tool: writes what it is told where it is told, as an agent's file tool does. */
    public static final class FileTools {
        @Tool(name = "file_write", value = "Writes a text file")
        public String write(@P("path") String path, @P("content") String content) throws IOException {
            Files.writeString(Path.of(path), content);
            return "wrote " + content.length() + " characters to " + path;
        }
    }

    public static void main(String[] args) {
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new ScriptedModel(List.of(args)))
                .tools(new FileTools())
                .chatMemory(MessageWindowChatMemory.withMaxMessages(50))
                .build();
        System.out.println("ANSWER text=" + assistant.chat("Save the report."));
        System.out.println("DONE");
    }

    /** One file_write call per path, then an answer; prints every tool result it reads. */
    private static final class ScriptedModel implements ChatModel {
        private final List<String> paths;

        ScriptedModel(List<String> paths) {
            this.paths = paths;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            int calls = 0;
            for (ChatMessage message : messages) {
                if (message instanceof AiMessage) {
                    calls++;
                }
            }
            ChatMessage last = messages.get(messages.size() - 1);
            if (last instanceof ToolExecutionResultMessage result) {
                System.out.println("TOOL call=" + (calls - 1) + " error=" + Boolean.TRUE.equals(result.isError())
                        + " result=" + result.text());
            }
            AiMessage answer = calls < paths.size()
                    ? AiMessage.from(ToolExecutionRequest.builder().id("call-" + calls).name("file_write")
                            .arguments("{\"path\":\"" + paths.get(calls) + "\",\"content\":\"the report\"}").build())
                    : AiMessage.from("done");
            return ChatResponse.builder().aiMessage(answer).modelName("scripted-1").build();
        }
    }

    private FileToolHost() {
    }
}
