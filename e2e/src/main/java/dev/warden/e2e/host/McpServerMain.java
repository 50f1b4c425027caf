package dev.warden.e2e.host;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A local MCP server on stdio (MCP Java SDK), started by {@link McpHost} as a child process: two
 * tools, each appending a line to the file named by its argument when its body runs, since stdout
 * is the protocol.
 */
public final class McpServerMain {

    public static void main(String[] args) throws InterruptedException {
        Path bodies = Path.of(args[0]);
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
                .serverInfo(new McpSchema.Implementation("warden-e2e-mcp", "1.0"))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tool("calendar_read", "Reads the calendar of a day", "day", bodies,
                                arguments -> "monday: pipeline review at 10:00"),
                        tool("files_delete", "Deletes a file", "path", bodies,
                                arguments -> "deleted " + arguments.get("path")))
                .build();
        new CountDownLatch(1).await(); // served until the client closes the process
        server.close();
    }

    private static McpServerFeatures.SyncToolSpecification tool(String name, String description, String parameter,
                                                               Path bodies, java.util.function.Function<Map<String, Object>, String> body) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description)
                .inputSchema(Map.of("type", "object", "properties", Map.of(parameter, Map.of("type", "string"))))
                .build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            try {
                Files.writeString(bodies, "BODY tool=" + name + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return McpSchema.CallToolResult.builder().addTextContent(body.apply(request.arguments())).isError(false).build();
        }).build();
    }
}
