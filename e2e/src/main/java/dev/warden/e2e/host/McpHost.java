package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An ordinary LangChain4j application whose tools come from a local MCP server ({@link McpServerMain},
 * started over stdio): an AI service uses them through {@link McpToolProvider}, then the app calls
 * one straight through the client, and the calendar tool through a second client, of another server.
 *
 * <pre>
 *   java McpHost SERVER_CLASS_PATH BODIES_FILE
 *   out: TOOL run=0 tool=T error=B result=TEXT | ANSWER run=0 text=... | DIRECT result=... | OTHER result=... | DONE
 * </pre>
 */
public final class McpHost {

    public static void main(String[] args) throws Exception {
        List<String> server = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", args[0], McpServerMain.class.getName(), args[1]);
        try (McpClient client = new DefaultMcpClient.Builder().key("calendar-server")
                .transport(new StdioMcpTransport.Builder().command(server).build()).build()) {
            AssistantScript script = new AssistantScript("mcp", result -> System.out.println("TOOL run=0 tool="
                    + result.toolName() + " error=" + Boolean.TRUE.equals(result.isError()) + " result=" + result.text()));
            AssistantHost.Assistant assistant = AiServices.builder(AssistantHost.Assistant.class)
                    .chatModel(new AssistantScript.Model(script))
                    .toolProvider(McpToolProvider.builder().mcpClients(client).build())
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                    .build();
            InvocationParameters parameters = InvocationParameters.from(Map.of("warden.actor", "ops-assistant"));
            System.out.println("ANSWER run=0 text=" + assistant.chat("mcp-0", "Tidy up my files.", parameters));

            System.out.println("DIRECT result=" + client.executeTool(ToolExecutionRequest.builder().id("direct-1")
                    .name("files_delete").arguments("{\"path\":\"/crm/export.csv\"}").build()).resultText());
        } catch (Exception e) {
            System.out.println("ERROR " + e);
        }
        // Another server that serves a tool of the same name: the policy trusts the calendar server's alone.
        try (McpClient other = new DefaultMcpClient.Builder().key("community-server")
                .transport(new StdioMcpTransport.Builder().command(server).build()).build()) {
            System.out.println("OTHER result=" + other.executeTool(ToolExecutionRequest.builder().id("other-1")
                    .name("calendar_read").arguments("{\"day\":\"monday\"}").build()).resultText());
        } catch (Exception e) {
            System.out.println("ERROR " + e);
        }
        System.out.println("DONE");
    }
}
