package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutor;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Scenario S4's application (no Warden in it): an invoices assistant on LangChain4j, with real
 * {@code @Tool} methods over an embedded H2 database kept in a file, so that a restarted host sees
 * what an earlier one did. Each argument is one step:
 * <pre>
 *   java InvoiceHost DB STEP...
 *   seed                          create the invoices table: 1-10 of acme, 11-20 of globex, all unpaid; drafts 1-10
 *   ask:SESSION:TOOL:JSON         the assistant calls TOOL with JSON once (scripted model) and answers
 *   bulk:N:SESSION                N status updates of invoice 1 straight through the tool executor
 *   drafts-delete:ID,ID...        deletes invoice drafts by id, one prepared statement executed per id
 *   sql:TEXT                      runs TEXT as an agent's SQL tool would pass it (a plain statement, stacked ones included)
 *   invoices                      prints what is left
 *   out: BODY step=N tool=T ARG | TOOL step=N tool=T error=B result=TEXT | ANSWER step=N text=TEXT
 *        BULK step=N ran=R refused=F | DRAFT step=N id=I deleted=K|refused=MESSAGE | SQL step=N updated=K|refused=MESSAGE | INVOICES ids=... | ERROR step=N ... | DONE
 * </pre>
 */
public final class InvoiceHost {

    static final String ASSISTANT = "invoice-assistant";
    static final String USER = "ulla";

    public interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request, InvocationParameters parameters);
    }

    public static void main(String[] args) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + args[0] + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "")) {
            for (int step = 1; step < args.length; step++) {
                try {
                    run(db, Integer.toString(step - 1), args[step]);
                } catch (Exception e) {
                    System.out.println("ERROR step=" + (step - 1) + " " + e);
                }
            }
        }
        System.out.println("DONE");
    }

    private static void run(Connection db, String step, String command) throws Exception {
        String[] parts = command.split(":", 4);
        switch (parts[0]) {
            case "seed" -> {
                try (Statement ddl = db.createStatement()) {
                    ddl.execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, customer VARCHAR(40), amount BIGINT, status VARCHAR(20))");
                    ddl.execute("CREATE TABLE invoice_drafts (id BIGINT PRIMARY KEY)");
                    ddl.executeUpdate("INSERT INTO invoice_drafts VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)");
                    for (int id = 1; id <= 20; id++) {
                        ddl.executeUpdate("INSERT INTO invoices VALUES (" + id + ", '" + (id <= 10 ? "acme" : "globex") + "', "
                                + id * 100 + ", 'unpaid')");
                    }
                }
                System.out.println("SEEDED step=" + step);
            }
            case "ask" -> {
                AssistantScript script = new AssistantScript(List.of(new AssistantScript.Call(parts[2], parts[3])),
                        result -> System.out.println("TOOL step=" + step + " tool=" + result.toolName() + " error="
                                + Boolean.TRUE.equals(result.isError()) + " result=" + result.text()));
                Assistant assistant = AiServices.builder(Assistant.class)
                        .chatModel(new AssistantScript.Model(script))
                        .tools(new InvoiceTools(db, step))
                        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                        .build();
                System.out.println("ANSWER step=" + step + " text=" + assistant.chat(parts[1], "Please take care of it.", parameters()));
            }
            case "bulk" -> {
                int count = Integer.parseInt(parts[1]);
                InvoiceTools tools = new InvoiceTools(db, step);
                ToolExecutor executor = new DefaultToolExecutor(tools, InvoiceTools.class.getMethod("updateStatus", long.class, String.class));
                InvocationContext context = InvocationContext.builder().chatMemoryId(parts[2])
                        .invocationParameters(parameters()).build();
                int ran = 0;
                int refused = 0;
                for (int i = 0; i < count; i++) {
                    var result = executor.executeWithContext(ToolExecutionRequest.builder().id("bulk-" + i).name("invoice_update_status")
                            .arguments("{\"id\":1,\"status\":\"" + (i % 2 == 0 ? "paid" : "unpaid") + "\"}").build(), context);
                    if (result.isError()) {
                        refused++;
                    } else {
                        ran++;
                    }
                }
                System.out.println("BULK step=" + step + " ran=" + ran + " refused=" + refused);
            }
            case "drafts-delete" -> {
                // One prepared statement, executed once per id: each execution is decided with its bound id.
                try (PreparedStatement delete = db.prepareStatement("DELETE FROM invoice_drafts WHERE id = ?")) {
                    for (String id : parts[1].split(",")) {
                        delete.setLong(1, Long.parseLong(id));
                        try {
                            System.out.println("DRAFT step=" + step + " id=" + id + " deleted=" + delete.executeUpdate());
                        } catch (SQLException refused) {
                            System.out.println("DRAFT step=" + step + " id=" + id + " refused=" + refused.getMessage());
                        }
                    }
                }
            }
            case "sql" -> {
                try (Statement statement = db.createStatement()) {
                    System.out.println("SQL step=" + step + " updated=" + statement.executeUpdate(command.substring("sql:".length())));
                } catch (SQLException refused) {
                    System.out.println("SQL step=" + step + " refused=" + refused.getMessage());
                }
            }
            case "invoices" -> {
                StringBuilder ids = new StringBuilder();
                try (Statement select = db.createStatement(); ResultSet rows = select.executeQuery("SELECT id FROM invoices ORDER BY id")) {
                    while (rows.next()) {
                        ids.append(ids.length() == 0 ? "" : ",").append(rows.getLong(1));
                    }
                }
                System.out.println("INVOICES step=" + step + " ids=" + ids);
            }
            default -> throw new IllegalArgumentException("unknown step " + command);
        }
    }

    private static InvocationParameters parameters() {
        return InvocationParameters.from(Map.of("warden.actor", ASSISTANT, "warden.onBehalfOf", USER));
    }
}
