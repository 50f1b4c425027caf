package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.warden.e2e.host.adversary.UnprintableFailure;

import java.nio.file.Path;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An application calling tools of a local MCP server ({@link McpServerMain}, over stdio) straight
 * through LangChain4j's MCP client, with what the client's advice reads made to throw: a null
 * request, an invocation context whose memory id throws (an exception whose message throws too), a
 * context whose invocation parameters are a map of the application's that throws when read. Each
 * technique makes two calls on the main thread: the FIRST asks for the tool the policy permits
 * ({@code calendar_read}), whose body must not run; the NEXT asks for {@code files_delete}, which
 * the policy refuses, as call id {@code next-TECHNIQUE}: it must be decided and recorded.
 *
 * <pre>
 *   java McpAdviceFailuresHost SERVER_CLASS_PATH BODIES_FILE
 *   out: PERMITTED result=... | technique NAME: first=RESULT next=RESULT | DONE
 *   RESULT = error=B text=TEXT | FAILED exception
 * </pre>
 */
public final class McpAdviceFailuresHost {

    public static void main(String[] args) throws Exception {
        List<String> server = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", args[0], McpServerMain.class.getName(), args[1]);
        try (McpClient client = new DefaultMcpClient.Builder().key("calendar-server")
                .transport(new StdioMcpTransport.Builder().command(server).build()).build()) {
            // The server works and the permitted tool runs: its body leaves the one line the test expects.
            System.out.println("PERMITTED " + attempt(() -> client.executeTool(request("permitted", "calendar_read"))));

            pair(client, "mcp-execute-null-request", () -> client.executeTool(null));
            pair(client, "mcp-execute-null-request-with-context", () -> client.executeTool(null, context(null, null)));
            pair(client, "mcp-context-memory-id-throws", () -> client.executeTool(request("first-mcp-context-memory-id-throws",
                    "calendar_read"), context(new UnprintableFailure(), null)));
            pair(client, "mcp-context-parameters-throw", () -> client.executeTool(request("first-mcp-context-parameters-throw",
                    "calendar_read"), context(null, new UnreadableParameters())));
        } catch (Exception e) {
            System.out.println("ERROR " + e);
        }
        System.out.println("DONE");
    }

    private static void pair(McpClient client, String technique, Call first) {
        String outcome = attempt(first);
        String next = attempt(() -> client.executeTool(request("next-" + technique, "files_delete")));
        System.out.println("technique " + technique + ": first=" + outcome + " next=" + next);
    }

    @FunctionalInterface
    private interface Call {
        ToolExecutionResult run() throws Exception;
    }

    private static String attempt(Call call) {
        try {
            ToolExecutionResult result = call.run();
            return "error=" + result.isError() + " text=" + result.resultText();
        } catch (Throwable failure) {
            return "FAILED " + failure.getClass().getName();
        }
    }

    private static ToolExecutionRequest request(String id, String tool) {
        String arguments = tool.equals("calendar_read") ? "{\"day\":\"monday\"}" : "{\"path\":\"/crm/export.csv\"}";
        return ToolExecutionRequest.builder().id(id).name(tool).arguments(arguments).build();
    }

    /**
     * An invocation context of the application's making: its memory id throws {@code memoryIdFailure}
     * when given, its invocation parameters are {@code parameters} when given.
     */
    private static InvocationContext context(RuntimeException memoryIdFailure, InvocationParameters parameters) {
        return new InvocationContext() {
            @Override
            public UUID invocationId() {
                return UUID.randomUUID();
            }

            @Override
            public String interfaceName() {
                return "Assistant";
            }

            @Override
            public String methodName() {
                return "chat";
            }

            @Override
            public List<Object> methodArguments() {
                return List.of();
            }

            @Override
            public Object chatMemoryId() {
                if (memoryIdFailure != null) {
                    throw memoryIdFailure;
                }
                return "mcp-failures";
            }

            @Override
            public InvocationParameters invocationParameters() {
                return parameters != null ? parameters : new InvocationParameters();
            }

            @Override
            public Instant timestamp() {
                return Instant.now();
            }
        };
    }

    /** Invocation parameters whose map throws when it is read (entries computed on demand, say). */
    private static final class UnreadableParameters extends InvocationParameters {
        @Override
        public Map<String, Object> asMap() {
            return new AbstractMap<>() {
                @Override
                public Object get(Object key) {
                    throw new IllegalStateException("the parameter store is unavailable");
                }

                @Override
                public Set<Entry<String, Object>> entrySet() {
                    throw new IllegalStateException("the parameter store is unavailable");
                }
            };
        }
    }

    private McpAdviceFailuresHost() {
    }
}
