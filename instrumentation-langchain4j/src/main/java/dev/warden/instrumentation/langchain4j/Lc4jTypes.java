package dev.warden.instrumentation.langchain4j;

/** LangChain4j's types, matched by name: the agent never loads the host's LangChain4j classes. */
final class Lc4jTypes {

    static final String TOOL_EXECUTION_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";
    static final String TOOL_EXECUTION_RESULT = "dev.langchain4j.service.tool.ToolExecutionResult";
    static final String TOOL_EXECUTOR = "dev.langchain4j.service.tool.ToolExecutor";
    static final String MCP_CLIENT = "dev.langchain4j.mcp.client.McpClient";
    static final String CHAT_MODEL = "dev.langchain4j.model.chat.ChatModel";
    static final String STREAMING_CHAT_MODEL = "dev.langchain4j.model.chat.StreamingChatModel";
    static final String CHAT_REQUEST = "dev.langchain4j.model.chat.request.ChatRequest";
    /** 1.19+: {@code chat(request, options)}, which the interface's {@code chat(request)} calls. */
    static final String CHAT_REQUEST_OPTIONS = "dev.langchain4j.model.chat.ChatRequestOptions";
    static final String CHAT_RESPONSE = "dev.langchain4j.model.chat.response.ChatResponse";
    static final String INVOCATION_CONTEXT = "dev.langchain4j.invocation.InvocationContext";
    static final String STREAMING_HANDLER = "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";
    static final String LANGUAGE_MODEL = "dev.langchain4j.model.language.LanguageModel";
    static final String STREAMING_LANGUAGE_MODEL = "dev.langchain4j.model.language.StreamingLanguageModel";
    static final String PROMPT = "dev.langchain4j.model.input.Prompt";
    static final String RESPONSE = "dev.langchain4j.model.output.Response";
    static final String STREAMING_RESPONSE_HANDLER = "dev.langchain4j.model.StreamingResponseHandler";
    /** 1.19+: absent before, where its instrumentation matches no class. */
    static final String BATCH_CHAT_MODEL = "dev.langchain4j.model.chat.BatchChatModel";
    static final String BATCH_REQUEST = "dev.langchain4j.model.batch.BatchRequest";

    private Lc4jTypes() {
    }
}
