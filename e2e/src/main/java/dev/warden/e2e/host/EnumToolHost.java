package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An AI service whose {@code @Tool} takes an enum: the model spells the constant as it likes, and
 * LangChain4j binds {@code "public"} and {@code "publıc"} (dotless ı) to {@code PUBLIC}. The tool's body writes
 * a marker naming the document and the constant it received. A visibility the model leaves out, or writes as
 * {@code null}, is {@code PUBLIC} ({@code @P(defaultValue)}, 1.x later than 1.0; 1.0 ignores it and binds null).
 *
 * <pre>
 *   java EnumToolHost MARKER_DIR VISIBILITY...   (one share_doc call per visibility, documents d0, d1, ...;
 *                                                 "-" leaves the member out, "null" writes it as null;
 *                                                 "opt:V" calls publish_doc, whose visibility is an Optional;
 *                                                 "dec:V", after the AI service, hands share_doc's DefaultToolExecutor
 *                                                 the call through a decorator of the application's)
 *   out: TOOL tool=share_doc result=TEXT | ANSWER text=... | DONE
 * </pre>
 */
public final class EnumToolHost {

    public enum Visibility { PRIVATE, PUBLIC }

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    public static final class Documents {
        private final Path markers;

        Documents(Path markers) {
            this.markers = markers;
        }

        @Tool("shares a document")
        public String share_doc(@P("document id") String id,
                @P(value = "who may see it", defaultValue = "PUBLIC") Visibility visibility) {
            try {
                Files.writeString(markers.resolve(id + "-" + visibility), visibility.name());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return "shared " + id + " as " + visibility;
        }
    }

    /** A tool whose visibility is optional (1.x later than 1.0): left out, the document stays private. */
    public static final class Publisher {
        private final Path markers;

        Publisher(Path markers) {
            this.markers = markers;
        }

        @Tool("publishes a document")
        public String publish_doc(@P("document id") String id,
                @P(value = "who may see it", required = false) Optional<Visibility> visibility) {
            Visibility chosen = visibility.orElse(Visibility.PRIVATE);
            try {
                Files.writeString(markers.resolve(id + "-" + chosen), chosen.name());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return "published " + id + " as " + chosen;
        }
    }

    public static void main(String[] args) {
        List<String> visibilities = Arrays.stream(args).skip(1).filter(visibility -> !visibility.startsWith("dec:")).toList();
        List<String> decorated = Arrays.stream(args).skip(1).filter(visibility -> visibility.startsWith("dec:")).toList();
        List<AssistantScript.Call> calls = new java.util.ArrayList<>();
        for (int i = 0; i < visibilities.size(); i++) {
            String visibility = visibilities.get(i);
            String tool = visibility.startsWith("opt:") ? "publish_doc" : "share_doc";
            visibility = visibility.startsWith("opt:") ? visibility.substring(4) : visibility;
            String member = switch (visibility) {
                case "-" -> "";
                case "null" -> ",\"visibility\":null";
                default -> ",\"visibility\":\"" + visibility + "\"";
            };
            calls.add(new AssistantScript.Call(tool, "{\"id\":\"d" + i + "\"" + member + "}"));
        }
        AssistantScript script = new AssistantScript(calls, result -> System.out.println("TOOL tool="
                + result.toolName() + " result=" + result.text()));
        List<Object> tools = new java.util.ArrayList<>(List.of(new Documents(Path.of(args[0]))));
        if (visibilities.stream().anyMatch(visibility -> visibility.startsWith("opt:"))) {
            tools.add(new Publisher(Path.of(args[0])));
        }
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(new AssistantScript.Model(script))
                .tools(tools)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)).build();
        try {
            System.out.println("ANSWER text=" + assistant.chat("s1", "Share my documents."));
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e);
        }
        // The application's decorator (it logs) over LangChain4j's executor of the same tool, called by its own loop.
        for (int i = 0; i < decorated.size(); i++) {
            try {
                dev.langchain4j.service.tool.ToolExecutor executor = new AssistantHost.Logged(
                        new dev.langchain4j.service.tool.DefaultToolExecutor(new Documents(Path.of(args[0])),
                                Documents.class.getMethod("share_doc", String.class, Visibility.class)));
                String arguments = "{\"id\":\"d" + (visibilities.size() + i) + "\",\"visibility\":\""
                        + decorated.get(i).substring(4) + "\"}";
                System.out.println("TOOL tool=share_doc result=" + executor.execute(
                        dev.langchain4j.agent.tool.ToolExecutionRequest.builder().id("dec-" + i).name("share_doc")
                                .arguments(arguments).build(), "s1"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.out.println("ERROR " + e);
            }
        }
        System.out.println("DONE");
    }
}
