package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary LangChain4j application (no Warden in it) whose tools call an HTTP API with the JDK's
 * {@code HttpClient}, built once at start as applications do, and act in the callbacks of its futures: the
 * client completes them on its own threads. Over a scripted model, one tool call per step.
 *
 * <pre>
 *   java AsyncCallbacksHost PORT STEP...
 *   STEP = read|SESSION            customer_lookup: reads the customers table (personal data)
 *        | post|SESSION|CLIENT     post_report: a POST sent directly, then a GET whose callback sends a POST
 *                                  (sendAsync(GET).thenCompose(r -> sendAsync(POST))); CLIENT is {@code default}
 *                                  or {@code executor} (the client runs on an executor of the application's)
 *        | gets|SESSION            get_pages: three GETs, each sent in the callback of the one before
 *        | register|SESSION        register_upload: a POST to be sent when the application's shared signal
 *                                  completes, registered now; returns at once
 *        | complete|SESSION        complete_signal: completes the shared signal, and waits for what was registered
 *        | later|SESSION           post_later: a POST sent by a task run later, through
 *                                  {@code CompletableFuture.delayedExecutor}, and (JDK 25+) one scheduled on the
 *                                  common {@code ForkJoinPool}
 *        | service|SESSION         no tool: a service method on the main thread, under
 *                                  {@code WardenContext.actAs(SESSION)}, reads the customers and returns a GET's
 *                                  future; once its scope has closed, its caller sends a POST in the GET's callback
 *   out: JAVA N (first) | OK step=N ... | DENIED step=N message=M | ERROR step=N thrown=T message=M
 *        SENT session=S via=V status=C | SENT session=S via=V refused=M    what one request got
 *        SKIPPED session=S via=V                                           a way this JDK does not have
 * </pre>
 * Each request's path names its session and how it was sent: {@code /upload/SESSION/VIA} for a POST (VIA is
 * {@code direct-CLIENT}, {@code callback-CLIENT}, {@code registered}, {@code delayed-executor}, {@code fjp-schedule}
 * or {@code after-scope}), {@code /page/SESSION/N} for a GET. A
 * registered POST's line is printed by the session that registered it.
 */
public final class AsyncCallbacksHost {

    interface Assistant {
        String chat(@MemoryId String session, @dev.langchain4j.service.UserMessage String question);
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final HttpClient ON_EXECUTOR = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
    /** Shared by the whole application: a session registers on it, another completes it. */
    private static final CompletableFuture<String> SIGNAL = new CompletableFuture<>();
    private static volatile CompletableFuture<String> registered;

    private static String api;

    public static void main(String[] args) throws Exception {
        System.out.println("JAVA " + Runtime.version().feature());
        api = "http://127.0.0.1:" + args[0];
        try (Connection database = DriverManager.getConnection("jdbc:h2:mem:async;DB_CLOSE_DELAY=-1")) {
            try (Statement setup = database.createStatement()) {
                setup.execute("CREATE TABLE customers(id INT PRIMARY KEY, email VARCHAR(100))");
                setup.execute("INSERT INTO customers VALUES (1, 'jane@customer.example')");
            }
            for (int step = 1; step < args.length; step++) {
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
        System.exit(0); // the clients' threads
    }

    private static String run(int step, String[] parts, Connection database) throws Exception {
        if (parts[0].equals("service")) {
            return new Tools(parts[1], database, "default").afterScope();
        }
        String tool = switch (parts[0]) {
            case "read" -> "customer_lookup";
            case "post" -> "post_report";
            case "gets" -> "get_pages";
            case "register" -> "register_upload";
            case "complete" -> "complete_signal";
            case "later" -> "post_later";
            default -> throw new IllegalArgumentException("unknown step " + parts[0]);
        };
        ContextHost.Scripted model = new ContextHost.Scripted(List.of(tool), 100, 20, step);
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(model)
                .tools(new Tools(parts[1], database, parts.length > 2 ? parts[2] : "default"))
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100))
                .build();
        return "answer=" + assistant.chat(parts[1], "Do it.");
    }

    /** The application's tools. */
    public static final class Tools {
        private final String session;
        private final Connection database;
        private final String client;
        private final HttpClient http;

        Tools(String session, Connection database, String client) {
            this.session = session;
            this.database = database;
            this.client = client;
            this.http = client.equals("executor") ? ON_EXECUTOR : HTTP;
        }

        @Tool(name = "customer_lookup", value = "Reads the customers")
        public String customerLookup(@P("filter") String filter) throws java.sql.SQLException {
            try (Statement statement = database.createStatement(); ResultSet rows = statement.executeQuery("SELECT email FROM customers")) {
                return rows.next() ? "first customer: " + rows.getString(1) : "no customers";
            }
        }

        @Tool(name = "post_report", value = "Uploads a report")
        public String postReport(@P("note") String note) throws Exception {
            String direct;
            try {
                direct = report("direct-" + client, http.send(post("direct-" + client), HttpResponse.BodyHandlers.ofString()));
            } catch (java.io.IOException refused) {
                direct = refused("direct-" + client, refused);
            }
            String callback = outcome("callback-" + client, http.sendAsync(get(1), HttpResponse.BodyHandlers.ofString())
                    .thenCompose(page -> http.sendAsync(post("callback-" + client), HttpResponse.BodyHandlers.ofString())));
            return direct + "; " + callback;
        }

        @Tool(name = "get_pages", value = "Reads three pages")
        public String getPages(@P("note") String note) throws Exception {
            return outcome("chain", http.sendAsync(get(1), HttpResponse.BodyHandlers.ofString())
                    .thenCompose(first -> http.sendAsync(get(2), HttpResponse.BodyHandlers.ofString()))
                    .thenCompose(second -> http.sendAsync(get(3), HttpResponse.BodyHandlers.ofString())));
        }

        @Tool(name = "register_upload", value = "Uploads a report when the data is ready")
        public String registerUpload(@P("note") String note) {
            registered = SIGNAL.thenCompose(ready -> http.sendAsync(post("registered"), HttpResponse.BodyHandlers.ofString()))
                    .handle((response, failure) -> failure == null ? report("registered", response)
                            : refused("registered", failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure));
            return "registered";
        }

        @Tool(name = "complete_signal", value = "Says the data is ready")
        public String completeSignal(@P("note") String note) throws Exception {
            SIGNAL.complete("ready");
            return "signalled: " + registered.get(60, TimeUnit.SECONDS);
        }

        @Tool(name = "post_later", value = "Uploads a report a little later")
        public String postLater(@P("note") String note) throws Exception {
            String delayed = outcome("delayed-executor", CompletableFuture.supplyAsync(() -> sendNow(post("delayed-executor")),
                    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)));
            // JDK 25+: the common pool schedules itself.
            if (!(ForkJoinPool.commonPool() instanceof ScheduledExecutorService pool)) {
                System.out.println("SKIPPED session=" + session + " via=fjp-schedule");
                return delayed;
            }
            ScheduledFuture<HttpResponse<String>> scheduled = pool.schedule(() -> sendNow(post("fjp-schedule")), 200, TimeUnit.MILLISECONDS);
            try {
                return delayed + "; " + report("fjp-schedule", scheduled.get(60, TimeUnit.SECONDS));
            } catch (ExecutionException refused) {
                return delayed + "; " + refused("fjp-schedule", refused.getCause());
            }
        }

        /**
         * A service method of the application's, not a tool: it says whom it works for while it works, and returns a
         * future its caller goes on with after the scope has closed.
         */
        String afterScope() throws Exception {
            CompletableFuture<HttpResponse<String>> page;
            try (AutoCloseable scope = actAs("support-bot", "jane", session)) {
                customerLookup("all");
                page = http.sendAsync(get(1), HttpResponse.BodyHandlers.ofString());
            }
            return outcome("after-scope", page.thenCompose(first -> http.sendAsync(post("after-scope"), HttpResponse.BodyHandlers.ofString())));
        }

        /** Warden's optional API, called by name as a host compiled against it would call it. */
        private static AutoCloseable actAs(String actor, String onBehalfOf, String session) throws ReflectiveOperationException {
            return (AutoCloseable) Class.forName("dev.warden.bootstrap.WardenContext")
                    .getMethod("actAs", String.class, String.class, String.class).invoke(null, actor, onBehalfOf, session);
        }

        private HttpResponse<String> sendNow(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException | InterruptedException refused) {
                throw new java.util.concurrent.CompletionException(refused);
            }
        }

        private String outcome(String via, CompletableFuture<HttpResponse<String>> sent) throws Exception {
            try {
                return report(via, sent.get(60, TimeUnit.SECONDS));
            } catch (ExecutionException refused) {
                return refused(via, refused.getCause());
            }
        }

        private String report(String via, HttpResponse<?> response) {
            String line = "SENT session=" + session + " via=" + via + " path=" + response.uri().getPath() + " status=" + response.statusCode();
            System.out.println(line);
            return line;
        }

        private String refused(String via, Throwable refused) {
            while (refused instanceof java.util.concurrent.CompletionException && refused.getCause() != null) {
                refused = refused.getCause();
            }
            String line = "SENT session=" + session + " via=" + via + " refused=" + String.valueOf(refused.getMessage()).replace('\n', ' ');
            System.out.println(line);
            return line;
        }

        private HttpRequest post(String via) {
            return HttpRequest.newBuilder(URI.create(api + "/upload/" + session + "/" + via))
                    .POST(HttpRequest.BodyPublishers.ofString("our customers")).build();
        }

        private HttpRequest get(int page) {
            return HttpRequest.newBuilder(URI.create(api + "/page/" + session + "/" + page)).GET().build();
        }
    }

    private AsyncCallbacksHost() {
    }
}
