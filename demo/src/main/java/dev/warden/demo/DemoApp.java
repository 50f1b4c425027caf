package dev.warden.demo;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;

/**
 * Scenario S2, offline: a sales assistant built with LangChain4j — a CRM in embedded H2, mail through
 * a local HTTP service, an offline scripted model — asked by a rep, then by a manager, to "pull the Q1
 * pipeline and email a summary to the VP". Nothing here knows about Warden; run it with
 * {@code -javaagent:warden-agent.jar} (scripts/demo.sh) and the same code is governed by policy.
 */
public final class DemoApp {

    interface Assistant {
        String chat(@MemoryId String conversation, @UserMessage String request, InvocationParameters parameters);
    }

    public static void main(String[] args) throws Exception {
        try (Connection crm = DriverManager.getConnection("jdbc:h2:mem:crm;DB_CLOSE_DELAY=-1", "sa", "");
             MailService mail = new MailService()) {
            fill(crm);
            for (String[] user : new String[][] {{"rita", "sales rep"}, {"max", "sales manager"}}) {
                converse(crm, mail, user[0], user[1]);
            }
            System.out.println();
            System.out.println("Mail service delivered " + mail.delivered().size() + " message(s)"
                    + (mail.delivered().isEmpty() ? "." : ": " + mail.delivered().get(0).lines().findFirst().orElse("")));
        }
    }

    private static void converse(Connection crm, MailService mail, String user, String role) {
        System.out.println();
        System.out.println("=== " + user + " (" + role + "): \"Pull the Q1 pipeline and email a summary to the VP.\"");
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new ScriptedModel(DemoApp::print))
                .tools(new SalesTools(crm, mail.sendUri()))
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                .build();
        // Who is asking travels with the call, as LangChain4j invocation parameters.
        InvocationParameters parameters = InvocationParameters.from(Map.of(
                "warden.actor", "sales-assistant", "warden.onBehalfOf", user));
        String answer = assistant.chat(user + "-q1", "Pull the Q1 pipeline and email a summary to the VP.", parameters);
        System.out.println("  assistant: " + answer);
    }

    /** One step as the model saw it: the call it made, and what came back. */
    private static void print(ToolExecutionRequest call, ToolExecutionResultMessage result) {
        String text = result.text();
        String decision = !text.startsWith("warden: ") ? "PERMIT " : text.startsWith("warden: denied by default-deny") ? "SILENCE" : "DENY   ";
        String shown = text.length() > 150 ? text.substring(0, 150) + "..." : text;
        System.out.printf("  %-12s %s  %s%n", call.name(), decision, shown);
    }

    private static void fill(Connection crm) throws Exception {
        try (Statement ddl = crm.createStatement()) {
            ddl.execute("CREATE TABLE pipeline (account VARCHAR(40), quarter VARCHAR(2), amount BIGINT, contact VARCHAR(80))");
        }
        try (PreparedStatement insert = crm.prepareStatement("INSERT INTO pipeline VALUES (?, ?, ?, ?)")) {
            Object[][] deals = {
                    {"Globex", "Q1", 120_000L, "hank.scorpio@globex.example, +1 415 555 0134"},
                    {"Initech", "Q1", 80_000L, "bill.lumbergh@initech.example, +1 512 555 0188"},
                    {"Umbrella", "Q2", 200_000L, "a.wesker@umbrella.example"}};
            for (Object[] deal : deals) {
                for (int i = 0; i < deal.length; i++) {
                    insert.setObject(i + 1, deal[i]);
                }
                insert.executeUpdate();
            }
        }
    }
}
