package dev.warden.bootstrap.langchain4j;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * Which MCP server, if any, runs a tool call. An AI service takes its tools by name, and a tool provider's
 * tool replaces a local tool of the same name: an MCP server that advertises {@code notes_read} gets the
 * calls the model makes to the application's own {@code notes_read}. The name alone cannot tell them
 * apart, so a call an MCP client runs carries {@code tool.mcp.server} (the client's key) and
 * {@code tool.mcp.tool} (the name the server is asked for, which a provider may map).
 *
 * <p>LangChain4j's MCP classes are read by name and reflection: the module is optional, and the advice
 * that asks is inlined where it may not be visible. What cannot be read throws, and the call is refused.
 */
public final class McpTools {

    static final String EXECUTOR = "dev.langchain4j.mcp.McpToolExecutor";
    static final String CLIENT = "dev.langchain4j.mcp.client.McpClient";

    /** What a class is to a tool call: an MCP executor, an MCP client, or neither (its members looked up once). */
    private static final ClassValue<Runner> RUNNERS = new ClassValue<>() {
        @Override
        protected Runner computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals(EXECUTOR)) {
                    return Runner.executor(c);
                }
                Class<?> client = clientInterface(c);
                if (client != null) {
                    return Runner.client(client);
                }
            }
            return Runner.NONE;
        }
    };

    private McpTools() {
    }

    /**
     * Adds the MCP facts of a call run by the first of {@code candidates} that is an MCP executor or client
     * (the hooked method's receiver, then its arguments); nothing when none is.
     *
     * @param name the tool the model asked for
     */
    static void addTo(Map<String, Object> attributes, String name, Object... candidates) throws ReflectiveOperationException {
        for (Object candidate : candidates) {
            if (candidate == null) {
                continue;
            }
            Runner runner = RUNNERS.get(candidate.getClass());
            if (runner.failure != null) {
                throw new IllegalStateException("could not read " + candidate.getClass().getName(), runner.failure);
            }
            if (runner.client != null) {
                attributes.put("tool.mcp.server", key(candidate));
                attributes.put("tool.mcp.tool", String.valueOf(name));
                return;
            }
            if (runner.mcpClient != null) {
                Object fixed = runner.fixedToolName.get(candidate);
                attributes.put("tool.mcp.server", key(runner.mcpClient.get(candidate)));
                attributes.put("tool.mcp.tool", fixed instanceof Optional<?> o && o.isPresent() ? String.valueOf(o.get()) : String.valueOf(name));
                return;
            }
        }
    }

    private static String key(Object client) throws ReflectiveOperationException {
        Runner runner = client == null ? Runner.NONE : RUNNERS.get(client.getClass());
        if (runner.key == null) {
            throw new IllegalStateException("an MCP tool executor whose client is no McpClient: " + client);
        }
        return String.valueOf(runner.key.invoke(client));
    }

    private static Class<?> clientInterface(Class<?> type) {
        for (Class<?> implemented : type.getInterfaces()) {
            if (implemented.getName().equals(CLIENT)) {
                return implemented;
            }
            Class<?> inherited = clientInterface(implemented);
            if (inherited != null) {
                return inherited;
            }
        }
        return null;
    }

    /** An MCP client's {@code key()}, or an MCP executor's fields; a failure to look them up is kept and thrown per call. */
    private record Runner(Method key, Class<?> client, Field mcpClient, Field fixedToolName, RuntimeException failure) {
        static final Runner NONE = new Runner(null, null, null, null, null);

        static Runner client(Class<?> client) {
            try {
                return new Runner(client.getMethod("key"), client, null, null, null);
            } catch (NoSuchMethodException | RuntimeException e) {
                return new Runner(null, null, null, null, new IllegalStateException(e));
            }
        }

        static Runner executor(Class<?> executor) {
            try {
                Field mcpClient = executor.getDeclaredField("mcpClient");
                Field fixedToolName = executor.getDeclaredField("fixedToolName");
                mcpClient.setAccessible(true);
                fixedToolName.setAccessible(true);
                return new Runner(null, null, mcpClient, fixedToolName, null);
            } catch (NoSuchFieldException | RuntimeException e) { // a version without them, or a module that does not open them
                return new Runner(null, null, null, null, new IllegalStateException(e));
            }
        }
    }
}
