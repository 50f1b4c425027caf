package dev.warden.jmh.sessions;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * The assistant's tools, one instance for every session as an application registers them: each call does its
 * work on the resources of the conversation it serves (LangChain4j passes the memory id).
 */
public final class SupportTools {

    private final Map<String, Session> sessions;

    SupportTools(Map<String, Session> sessions) {
        this.sessions = sessions;
    }

    @Tool(name = "account_lookup", value = "Reads an account's holder and balance")
    public String accountLookup(@ToolMemoryId String session, @P("id") int id) throws SQLException {
        return sessions.get(session).lookUp(id);
    }

    @Tool(name = "quote_fetch", value = "Fetches the current quote for an account from the quotes API")
    public String quoteFetch(@ToolMemoryId String session, @P("id") int id) throws IOException {
        return sessions.get(session).fetchQuote(id);
    }
}
