package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * An ordinary LangChain4j application (no Warden in it) whose conversations have a history: an AI
 * service over a scripted gpt-4o that reports the token usage it is told to, a tool the model may
 * call again and again, and plain JDBC work.
 *
 * <pre>
 *   java ContextHost STEP...
 *   STEP = chat|SESSION|CHARS|IN|OUT    one question of CHARS characters; the model answers, reporting IN and OUT tokens
 *        | loop|SESSION|N               the model calls lookup_note with the same arguments N times, then answers
 *        | loop-respelled|SESSION|N     the same, its arguments spelled another way each time (spaces, member
 *                                       order, a letter escaped)
 *        | jdbc|N                       N distinct statements on an H2 database
 *        | exfil|SESSION|PORT|READ      the model reads customers (when READ is {@code read}) through one tool,
 *                                       then uploads a report (HTTP POST to 127.0.0.1:PORT) and e-mails it
 *                                       outside the company through two others
 *   out:  OK step=N ... | DENIED step=N message=M | ERROR step=N thrown=T message=M
 *         BODY run=N tool=T             a tool body really ran (step N)
 *         TOOL run=N error=B result=R   what the model read back from a tool
 *         UPLOAD run=N status=S | UPLOAD run=N refused=M   what the upload tool's POST got
 * </pre>
 */
public final class ContextHost {

    interface Assistant {
        String chat(@MemoryId String session, @dev.langchain4j.service.UserMessage String question);
    }

    public static void main(String[] args) throws Exception {
        try (Connection database = DriverManager.getConnection("jdbc:h2:mem:context;DB_CLOSE_DELAY=-1")) {
            try (Statement setup = database.createStatement()) {
                setup.execute("CREATE TABLE IF NOT EXISTS customers(id INT PRIMARY KEY, email VARCHAR(100))");
                setup.execute("MERGE INTO customers KEY(id) VALUES (1, 'jane@customer.example')");
            } catch (java.sql.SQLException refused) {
                System.out.println("SETUP refused: " + refused.getMessage());
            }
            for (int step = 0; step < args.length; step++) {
                String[] parts = args[step].split("\\|");
                try {
                    System.out.println("OK step=" + step + " " + run(step, parts, database));
                } catch (Exception e) {
                    String message = String.valueOf(e.getMessage()).replace('\n', ' ');
                    System.out.println((message.contains("warden:") ? "DENIED step=" + step : "ERROR step=" + step + " thrown="
                            + e.getClass().getName()) + " message=" + message);
                }
            }
        }
        System.out.println("DONE");
    }

    private static String run(int step, String[] parts, Connection database) throws Exception {
        switch (parts[0]) {
            case "chat": {
                Scripted model = new Scripted(List.of(), Integer.parseInt(parts[3]), Integer.parseInt(parts[4]), step);
                return "answer=" + assistant(model, step).chat(parts[1], "x".repeat(Integer.parseInt(parts[2])));
            }
            case "exfil": {
                List<String> calls = new java.util.ArrayList<>();
                if (parts[3].equals("read")) {
                    calls.add("customer_lookup");
                }
                calls.add("upload_report");
                calls.add("email_send");
                Scripted model = new Scripted(calls, 100, 20, step);
                return "answer=" + assistant(model, step, database, Integer.parseInt(parts[2])).chat(parts[1], "Report on our customers.");
            }
            case "loop", "loop-respelled": {
                Scripted model = new Scripted(java.util.Collections.nCopies(Integer.parseInt(parts[2]), "lookup_note"), 100, 20, step);
                model.respelled = parts[0].equals("loop-respelled");
                return "answer=" + assistant(model, step).chat(parts[1], "Look the note up, again and again.");
            }
            case "jdbc": {
                int count = Integer.parseInt(parts[1]);
                int done = 0;
                try (Statement statement = database.createStatement()) {
                    for (int i = 0; i < count; i++) {
                        try (ResultSet rows = statement.executeQuery("SELECT " + i + " AS n")) {
                            rows.next();
                            done++;
                        } catch (java.sql.SQLException refused) {
                            System.out.println("REFUSED statement=" + i + " message=" + refused.getMessage());
                        }
                    }
                }
                return "ran=" + done;
            }
            default:
                throw new IllegalArgumentException("unknown step " + parts[0]);
        }
    }

    private static Assistant assistant(ChatModel model, int step) {
        return assistant(model, step, null, 0);
    }

    private static Assistant assistant(ChatModel model, int step, Connection database, int port) {
        return AiServices.builder(Assistant.class)
                .chatModel(model)
                .tools(new Notes(step), new Reports(step, database, port))
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100))
                .build();
    }

    /** The application's tool. */
    public static final class Notes {
        private final int step;

        Notes(int step) {
            this.step = step;
        }

        @Tool(name = "lookup_note", value = "Looks a note up")
        public String lookupNote(@P("note") String note, @P(value = "page", required = false) Integer page) {
            System.out.println("BODY run=" + step + " tool=lookup_note");
            return "the note says hello";
        }
    }

    /** Tools that read customer data, upload a report and send mail: each alone is fine. */
    public static final class Reports {
        private final int step;
        private final Connection database;
        private final int port;

        Reports(int step, Connection database, int port) {
            this.step = step;
            this.database = database;
            this.port = port;
        }

        @Tool(name = "customer_lookup", value = "Reads the customers")
        public String customerLookup(@P("filter") String filter) throws java.sql.SQLException {
            System.out.println("BODY run=" + step + " tool=customer_lookup");
            try (Statement statement = database.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT email FROM customers")) {
                return rows.next() ? "first customer: " + rows.getString(1) : "no customers";
            }
        }

        @Tool(name = "upload_report", value = "Uploads a report")
        public String uploadReport(@P("report") String report) {
            System.out.println("BODY run=" + step + " tool=upload_report");
            try {
                java.net.HttpURLConnection post = (java.net.HttpURLConnection)
                        new java.net.URL("http://127.0.0.1:" + port + "/upload/" + step).openConnection();
                post.setRequestMethod("POST");
                post.setDoOutput(true);
                post.getOutputStream().write(report.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                int status = post.getResponseCode();
                System.out.println("UPLOAD run=" + step + " status=" + status);
                return "uploaded: " + status;
            } catch (java.io.IOException refused) {
                System.out.println("UPLOAD run=" + step + " refused=" + refused.getMessage());
                return "upload failed: " + refused.getMessage();
            }
        }

        @Tool(name = "email_send", value = "Sends an e-mail")
        public String emailSend(@P("to") String to, @P("body") String body) {
            System.out.println("BODY run=" + step + " tool=email_send");
            return "sent to " + to;
        }
    }

    /** gpt-4o, scripted: the tool calls it was given, then an answer; reports the usage it was told to. */
    static final class Scripted implements ChatModel {
        private static final java.util.Map<String, String> ARGUMENTS = java.util.Map.of(
                "customer_lookup", "{\"filter\":\"all\"}",
                "upload_report", "{\"report\":\"our customers\"}",
                "email_send", "{\"to\":\"someone@partner.example\",\"body\":\"our customers\"}");
        private final List<String> calls;
        private final int inputTokens;
        private final int outputTokens;
        private final int step;
        /** Each call's arguments spelled another way, the same arguments to the tool. */
        boolean respelled;

        Scripted(List<String> calls, int inputTokens, int outputTokens, int step) {
            this.calls = calls;
            this.inputTokens = inputTokens;
            this.outputTokens = outputTokens;
            this.step = step;
        }

        @Override
        public ChatRequestParameters defaultRequestParameters() {
            return ChatRequestParameters.builder().modelName("gpt-4o").maxOutputTokens(5000).build();
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            int turns = 0;
            ToolExecutionResultMessage last = null;
            for (ChatMessage message : messages.subList(lastUser(messages), messages.size())) {
                if (message instanceof AiMessage) {
                    turns++;
                } else if (message instanceof ToolExecutionResultMessage result) {
                    last = result;
                }
            }
            if (last != null) {
                System.out.println("TOOL run=" + step + " error=" + Boolean.TRUE.equals(last.isError()) + " result=" + last.text());
            }
            AiMessage answer = turns < calls.size()
                    ? AiMessage.from(ToolExecutionRequest.builder().id("call-" + turns).name(calls.get(turns))
                            .arguments(respelled ? respelled(turns) : ARGUMENTS.getOrDefault(calls.get(turns), "{\"note\":\"the same one\"}")).build())
                    : AiMessage.from("done after " + turns + " tool calls");
            return ChatResponse.builder().aiMessage(answer).modelName("gpt-4o")
                    .tokenUsage(new TokenUsage(inputTokens, outputTokens)).build();
        }

        /** {"note":"the same one","page":1}, spaced by the turn, members in either order, a letter escaped every other turn. */
        private static String respelled(int turn) {
            String space = " ".repeat(turn);
            String note = "\"note\"" + space + ":\"the s" + (turn % 2 == 0 ? "a" : "\\u0061") + "me one\"";
            String page = "\"page\":" + space + "1";
            return "{" + space + (turn % 4 < 2 ? note + "," + page : page + "," + space + note) + space + "}";
        }

        private static int lastUser(List<ChatMessage> messages) {
            int last = 0;
            for (int i = 0; i < messages.size(); i++) {
                if (messages.get(i) instanceof UserMessage) {
                    last = i;
                }
            }
            return last;
        }
    }
}
