package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An application secured by Spring Security (no Warden in it): who is logged in is its
 * {@code SecurityContextHolder}'s authentication, as a servlet filter would set it. It reads a
 * database as different users, and runs a LangChain4j AI service for one of them whose tool reads
 * on its own thread, through an executor (where Spring's thread-bound context does not follow), and
 * after switching the authentication to somebody else.
 *
 * <pre>
 *   java SpringSecurityHost JDBC_URL
 *   out: STEP step=NAME result=OK|DENIED     one read; its SQL's column alias names the step
 *        ANSWER text=...  |  DONE
 * </pre>
 */
public final class SpringSecurityHost {

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    private static final ExecutorService POOL = Executors.newFixedThreadPool(1);
    private static String database;

    public static void main(String[] args) throws Exception {
        database = args[0];
        as(UsernamePasswordAuthenticationToken.authenticated("alice", null, AuthorityUtils.createAuthorityList("ROLE_USER")));
        step("authenticated");
        as(new AnonymousAuthenticationToken("key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        step("anonymous");
        as(UsernamePasswordAuthenticationToken.unauthenticated("mallory", "guessed"));
        step("unauthenticated");
        SecurityContextHolder.clearContext();
        step("nobody");

        as(UsernamePasswordAuthenticationToken.authenticated("carol", null, AuthorityUtils.createAuthorityList("ROLE_USER")));
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new ReadingModel(List.of("tool_direct", "tool_pool", "tool_switched")))
                .tools(new Reader())
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                .build();
        System.out.println("ANSWER text=" + assistant.chat("carol-chat", "Read the notes."));
        SecurityContextHolder.clearContext();
        POOL.shutdown();
        System.out.println("DONE");
    }

    /** The tool: reads the way the model asks. */
    public static final class Reader {
        @Tool(name = "read_notes", value = "Reads the notes")
        public String read(@P("step") String step) throws Exception {
            switch (step) {
                case "tool_direct" -> step(step);
                case "tool_pool" -> POOL.submit(() -> step(step)).get(60, TimeUnit.SECONDS);
                case "tool_switched" -> {
                    // The tool's own code logs somebody else in: the call still acts for whom it began for.
                    Authentication before = SecurityContextHolder.getContext().getAuthentication();
                    as(UsernamePasswordAuthenticationToken.authenticated("mallory", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
                    try {
                        step(step);
                    } finally {
                        as(before);
                    }
                }
                default -> throw new IllegalArgumentException(step);
            }
            return "read " + step;
        }
    }

    private static void as(Authentication authentication) {
        SecurityContextHolder.getContext().setAuthentication(authentication);
    }

    private static String step(String name) {
        String result;
        try (Connection connection = DriverManager.getConnection(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id AS " + name + " FROM notes WHERE id = 1")) {
            result = rows.next() ? "OK" : "EMPTY";
        } catch (SQLException e) {
            result = String.valueOf(e.getMessage()).contains("warden:") ? "DENIED" : "FAILED " + e;
        }
        System.out.println("STEP step=" + name + " result=" + result);
        return result;
    }

    /** A scripted model: one read_notes call per step, then an answer. */
    private static final class ReadingModel implements ChatModel {
        private final List<String> steps;

        ReadingModel(List<String> steps) {
            this.steps = steps;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            int calls = 0;
            for (ChatMessage message : request.messages()) {
                if (message instanceof AiMessage) {
                    calls++;
                }
            }
            AiMessage answer = calls < steps.size()
                    ? AiMessage.from(ToolExecutionRequest.builder().id("call-" + calls).name("read_notes")
                            .arguments("{\"step\":\"" + steps.get(calls) + "\"}").build())
                    : AiMessage.from("read " + calls);
            return ChatResponse.builder().aiMessage(answer).modelName("scripted-1").build();
        }
    }

    private SpringSecurityHost() {
    }
}
