package dev.warden.jmh.sessions;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Issue 17's scale harness: an ordinary LangChain4j support assistant (no Warden in it) serving SESSIONS
 * conversations at once, each on its own thread, each turn a model call that asks for two tools (an H2 point
 * query, an HTTP GET to a loopback API), the tools, and a model call that answers. Run it with and without
 * {@code -javaagent:warden-agent.jar}; {@code jmh/sessions.sh} does both and holds the receipts against what
 * this prints.
 *
 * <pre>
 *   java -cp jmh/target/benchmarks.jar dev.warden.jmh.sessions.SessionsHost SESSIONS TURNS WARMUP [MODEL_MS]
 *   MODEL_MS: how long each model call takes to answer (default 0: every session competes for the CPU all the time)
 *   out: LATENCY kind=jdbc|http|turn n=N p50=µs p99=µs p999=µs max=µs
 *        THROUGHPUT sessions=S turns=N seconds=S turnsPerSecond=R
 *        ACTIONS surface:operation=count ...      every action attempted, warm-up and set-up included
 *        HTTP_CONNECTIONS n=N                     connections the API server saw (kept alive: about one per session)
 *        PER_SESSION n=N                          the actions each session attempted (when none failed)
 *        FAILED n=N first=...                     sessions that stopped early (exit 1)
 * </pre>
 */
public final class SessionsHost {

    private static final int ACCOUNTS = 1000;

    private SessionsHost() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = Integer.parseInt(args[0]);
        int turns = Integer.parseInt(args[1]);
        int warmUp = Integer.parseInt(args[2]);
        int modelMillis = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        // Before the first request: the JDK keeps at most 5 idle connections per destination, and every session keeps one.
        System.setProperty("http.maxConnections", Integer.toString(sessions));
        ActionCounts actions = new ActionCounts();
        String database = "jdbc:h2:mem:accounts;DB_CLOSE_DELAY=-1";
        try (QuotesServer quotes = new QuotesServer(sessions); Connection setUp = DriverManager.getConnection(database)) {
            createAccounts(setUp, actions);
            long setUpActions = actions.total();
            Map<String, Session> byId = new ConcurrentHashMap<>();
            Session.Assistant assistant = AiServices.builder(Session.Assistant.class)
                    .chatModel(new ScriptedModel(actions, modelMillis))
                    .tools(new SupportTools(byId))
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(8))
                    .build();
            CountDownLatch ready = new CountDownLatch(sessions);
            CountDownLatch go = new CountDownLatch(1);
            List<Session> all = new ArrayList<>();
            List<Connection> connections = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 1; i <= sessions; i++) {
                Connection connection = DriverManager.getConnection(database);
                connections.add(connection);
                Session session = new Session(i, assistant, connection, quotes.base(), ACCOUNTS, warmUp, turns, actions, ready, go);
                byId.put(session.id(), session);
                all.add(session);
                Thread thread = new Thread(session, session.id());
                threads.add(thread);
            }
            threads.forEach(Thread::start);
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            report(all, seconds, actions);
            System.out.println("HTTP_CONNECTIONS n=" + quotes.connections());
            for (Connection connection : connections) {
                connection.close();
            }
            List<String> failures = all.stream().map(Session::failure).filter(f -> f != null).toList();
            if (!failures.isEmpty()) {
                System.out.println("FAILED n=" + failures.size() + " first=" + failures.get(0));
                System.exit(1);
            }
            // Every session ran every turn, so each attempted the same actions: the receipts must say so per session.
            System.out.println("PER_SESSION n=" + (actions.total() - setUpActions) / sessions);
        }
    }

    /** The table the tools read: set up through JDBC like everything else, so it has its receipts too. */
    private static void createAccounts(Connection connection, ActionCounts actions) throws SQLException {
        StringBuilder rows = new StringBuilder("INSERT INTO accounts VALUES ");
        for (int id = 1; id <= ACCOUNTS; id++) {
            rows.append(id == 1 ? "" : ",").append('(').append(id).append(", 'holder-").append(id).append("', ").append(id * 10).append(".25)");
        }
        try (Statement statement = connection.createStatement()) {
            actions.add("jdbc:DDL");
            statement.execute("CREATE TABLE accounts (id INT PRIMARY KEY, holder VARCHAR(64), balance DECIMAL(12, 2))");
            actions.add("jdbc:INSERT");
            statement.executeUpdate(rows.toString());
        }
    }

    private static void report(List<Session> all, double seconds, ActionCounts actions) {
        latency("jdbc", all, s -> s.jdbc);
        latency("http", all, s -> s.http);
        latency("turn", all, s -> s.turn);
        long measured = all.stream().mapToLong(s -> s.turn.count()).sum();
        System.out.printf("THROUGHPUT sessions=%d turns=%d seconds=%.2f turnsPerSecond=%.0f%n", all.size(), measured, seconds,
                measured / seconds);
        System.out.println("ACTIONS " + actions.line());
    }

    private static void latency(String kind, List<Session> all, Function<Session, Latencies> of) {
        long[] sorted = Latencies.merged(all.stream().map(of).toList());
        if (sorted.length == 0) {
            System.out.println("LATENCY kind=" + kind + " n=0");
            return;
        }
        System.out.printf("LATENCY kind=%s n=%d p50=%.1f p99=%.1f p999=%.1f max=%.1f%n", kind, sorted.length,
                Latencies.percentile(sorted, 0.50) / 1e3, Latencies.percentile(sorted, 0.99) / 1e3,
                Latencies.percentile(sorted, 0.999) / 1e3, sorted[sorted.length - 1] / 1e3);
    }
}
