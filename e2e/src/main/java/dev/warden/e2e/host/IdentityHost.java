package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary LangChain4j application (no Warden in it) whose {@code @Tool} reads a database and
 * calls an HTTP API: on its own thread, and through every way the JDK offers to hand work to another
 * thread. Several users' sessions run at once and share the same pools, as a server's would.
 *
 * <pre>
 *   java IdentityHost JDBC_URL API_BASE USER...
 *   out: PROBE tag=T via=V result=jdbc=OK|DENIED http=200|DENIED    one hand-off of one session's tool call
 *        CONTROL via=V result=...     the same work handed off by the application itself, outside any call
 *        STEAL hook=H result=...      the application's code, outside any call, calls one of Warden's public
 *                                     hand-off hooks with a task a session queued, then does the same work
 *        HELD tag=T result=...        that session's queued task, run after the attempt
 *        AGAIN tag=T result=...       the task object that session's tool handed to a full pool (which ran it on the
 *                                     tool's thread), handed to the same pool again by the application, outside any call
 *        DROPPED tag=T result=...     the task object that session's tool queued on a pool whose DiscardOldestPolicy then
 *                                     dropped it unrun, handed to the same pool again by the application, outside any call
 *        ANSWER user=U text=...  |  DONE
 * </pre>
 * A probe's SQL names its tag and its hand-off as a column alias, and its URL names them as the path,
 * so that each receipt says which session's tool call made it.
 */
public final class IdentityHost {

    /** The ways a tool hands its work to another thread (the virtual ones on JDK 21+). */
    static final List<String> VIAS = List.of("direct", "submit", "execute", "schedule", "forkjoin", "supplyasync",
            "supplyasyncpool", "runasync", "thread", "subclass", "virtual", "virtualexecutor");

    /** The application's own kind of thread: its run() overrides Thread's, and never calls it. */
    static final class Worker extends Thread {
        private final Runnable task;

        Worker(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request, InvocationParameters parameters);
    }

    /** Shared by every session, created before any of them: each pool's threads serve them all. */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(1);
    private static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(1);
    private static final ForkJoinPool FORK_JOIN = new ForkJoinPool(1);
    /** A pool held busy until the end, so that the tasks the sessions queue on it are still queued. */
    private static final ExecutorService HELD = Executors.newSingleThreadExecutor();
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final Map<String, Future<String>> QUEUED = new ConcurrentHashMap<>();
    /**
     * A pool with one thread and room for one task, both held taken until the sessions are done: a task handed to it
     * meanwhile is rejected, and its policy runs it on the thread that handed it over.
     */
    private static final ThreadPoolExecutor FULL = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.CallerRunsPolicy());
    private static final CountDownLatch RELEASE_FULL = new CountDownLatch(1);
    /** One task object per session, made before any session, that the application hands to {@link #FULL} more than once. */
    private static final Map<String, Repeated> REPEATED = new ConcurrentHashMap<>();
    /**
     * Per session, made before any session: a pool with one thread and room for one task, its thread held taken, whose
     * {@code DiscardOldestPolicy} drops the queued task to make room for the next; and the task object the session's
     * tool queues there first, which the application hands to the pool again once it is free.
     */
    private static final Map<String, ThreadPoolExecutor> OLDEST = new ConcurrentHashMap<>();
    private static final Map<String, Repeated> DROPPED = new ConcurrentHashMap<>();
    private static final CountDownLatch RELEASE_OLDEST = new CountDownLatch(1);

    private static String database;
    private static String api;

    public static void main(String[] args) throws Exception {
        database = args[0];
        api = args[1];
        List<String> users = List.of(args).subList(2, args.length);
        HELD.execute(() -> {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        FULL.execute(() -> {
            try {
                RELEASE_FULL.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CountDownLatch filled = new CountDownLatch(1);
        FULL.execute(filled::countDown);
        List<Thread> sessions = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            String user = users.get(i);
            String session = user + "-" + (i + 1);
            REPEATED.put(user + "_" + (i + 1), new Repeated(user + "_" + (i + 1), FULL));
            ThreadPoolExecutor oldest = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1),
                    new ThreadPoolExecutor.DiscardOldestPolicy());
            oldest.execute(() -> {
                try {
                    RELEASE_OLDEST.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            OLDEST.put(user + "_" + (i + 1), oldest);
            DROPPED.put(user + "_" + (i + 1), new Repeated(user + "_" + (i + 1), oldest));
            Thread thread = new Thread(() -> System.out.println("ANSWER user=" + user + " text=" + chat(user, session)));
            thread.start();
            sessions.add(thread);
        }
        for (Thread thread : sessions) {
            thread.join();
        }
        // The pool that rejected the sessions' tasks is free again (its queued task ran): each session's task object,
        // handed to it now by the application outside any call, is queued and run by its worker, for nobody in particular.
        RELEASE_FULL.countDown();
        filled.await();
        for (int i = 0; i < users.size(); i++) {
            String tag = users.get(i) + "_" + (i + 1);
            System.out.println("AGAIN tag=" + tag + " result=" + REPEATED.get(tag).runAgain("again"));
        }
        FULL.shutdown();
        // Each session's dropped task object, handed by the application outside any call to its pool, free again: run
        // for nobody in particular, not for the session whose queued submission the policy dropped.
        RELEASE_OLDEST.countDown();
        for (int i = 0; i < users.size(); i++) {
            String tag = users.get(i) + "_" + (i + 1);
            System.out.println("DROPPED tag=" + tag + " result=" + DROPPED.get(tag).runAgain("dropped"));
            OLDEST.get(tag).shutdown();
        }
        // The application's own hand-off, outside any call: for nobody in particular, whichever session ran last.
        for (String via : List.of("submit", "execute", "forkjoin", "thread")) {
            System.out.println("CONTROL via=" + via + " result=" + handOff(via, () -> work("main", via)));
        }
        String firstTag = users.get(0) + "_1";
        for (String hook : List.of("takes", "runs", "starts", "invocation", "rejected", "unqueued", "unqueuedall")) {
            System.out.println("STEAL hook=" + hook + " result=" + steal(hook, QUEUED.get(firstTag)));
        }
        RELEASE.countDown();
        for (int i = 0; i < users.size(); i++) {
            String tag = users.get(i) + "_" + (i + 1);
            System.out.println("HELD tag=" + tag + " result=" + QUEUED.get(tag).get(60, TimeUnit.SECONDS));
        }
        POOL.shutdown();
        SCHEDULER.shutdown();
        FORK_JOIN.shutdown();
        HELD.shutdown();
        System.out.println("DONE");
    }

    private static String chat(String user, String session) {
        String tag = session.replace('-', '_');
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new ProbingModel(tag))
                .tools(new Probes())
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100))
                .build();
        return assistant.chat(session, "Check the notes and the API.",
                InvocationParameters.from(Map.of("warden.actor", "sales-assistant", "warden.onBehalfOf", user)));
    }

    /**
     * What the application could try, on a thread of its own outside any call, to act for a session
     * it is not: hand one of Warden's public hooks the task the session queued (they are the JDK's
     * pools' to call; those that take a task's identity off leave it on the session's task), or enter
     * an AI-service invocation through Warden's thread identity directly (it is Warden's LangChain4j
     * hook's to call); then do the session's kind of work.
     */
    private static String steal(String hook, Future<String> queued) throws InterruptedException {
        CompletableFuture<String> done = new CompletableFuture<>();
        Thread thief = new Thread(() -> {
            try {
                Class<?> handoffs = Class.forName("dev.warden.bootstrap.Handoffs");
                switch (hook) {
                    case "takes" -> handoffs.getMethod("workerTakes", Object.class).invoke(null, queued);
                    case "runs" -> handoffs.getMethod("taskRuns", Object.class).invoke(null, queued);
                    case "starts" -> handoffs.getMethod("workerStarts", Object.class).invoke(null, queued);
                    // These take a hand-off's identity off a task a pool will not run: the session's queued task keeps it.
                    case "rejected" -> handoffs.getMethod("rejected", Object.class).invoke(null, queued);
                    case "unqueued" -> handoffs.getMethod("unqueued", Object.class).invoke(null, queued);
                    case "unqueuedall" -> handoffs.getMethod("unqueuedAll", List.class).invoke(null, List.of(queued));
                    case "invocation" -> Class.forName("dev.warden.bootstrap.ThreadIdentity")
                            .getMethod("enterInvocation", String.class, String.class, String.class, Object.class)
                            .invoke(null, "sales-assistant", "rita", "rita-1", null);
                    default -> throw new IllegalArgumentException(hook);
                }
                done.complete(work("steal", hook));
            } catch (ReflectiveOperationException | RuntimeException e) {
                done.complete("UNAVAILABLE " + e);
            }
        });
        thief.start();
        thief.join();
        return done.getNow("UNFINISHED");
    }

    /** The tool: does its work the way the model asks. */
    public static final class Probes {
        @Tool(name = "probe", value = "Reads the notes and calls the API, handing the work off as asked")
        public String probe(@P("via") String via, @P("tag") String tag) throws Exception {
            if (via.equals("rejected")) {
                // The pool is full: its policy runs the task here, on the tool's thread, for the tool call.
                String result = REPEATED.get(tag).runRejected();
                System.out.println("PROBE tag=" + tag + " via=" + via + " result=" + result);
                return result;
            }
            if (via.equals("discarded")) {
                // Queued behind the pool's held task, then dropped unrun by its DiscardOldestPolicy for a task of nobody's.
                Repeated kept = DROPPED.get(tag);
                OLDEST.get(tag).execute(kept);
                OLDEST.get(tag).execute(() -> { });
                return kept.isDone() ? "RAN" : "dropped";
            }
            if (via.equals("held")) {
                QUEUED.put(tag, HELD.submit(() -> work(tag, via)));
                return "queued";
            }
            String result = handOff(via, () -> work(tag, via));
            System.out.println("PROBE tag=" + tag + " via=" + via + " result=" + result);
            return result;
        }
    }

    /**
     * A task object the application keeps and hands to one pool each time (a field, a method reference): the same
     * object for every submission, its work naming the submission it runs for.
     */
    static final class Repeated implements Runnable {
        private final String tag;
        private final ThreadPoolExecutor pool;
        private volatile String via = "rejected";
        private volatile CompletableFuture<String> done = new CompletableFuture<>();

        Repeated(String tag, ThreadPoolExecutor pool) {
            this.tag = tag;
            this.pool = pool;
        }

        @Override
        public void run() {
            done.complete(work(tag, via));
        }

        String runRejected() throws Exception {
            pool.execute(this);
            return done.getNow("NOT RUN ON THE CALLER'S THREAD");
        }

        boolean isDone() {
            return done.isDone();
        }

        String runAgain(String again) throws Exception {
            via = again;
            done = new CompletableFuture<>();
            pool.execute(this);
            return done.get(60, TimeUnit.SECONDS);
        }
    }

    static String handOff(String via, Callable<String> work) throws Exception {
        switch (via) {
            case "direct":
                return work.call();
            case "submit":
                return POOL.submit(work).get(60, TimeUnit.SECONDS);
            case "execute": {
                CompletableFuture<String> done = new CompletableFuture<>();
                POOL.execute(() -> complete(done, work));
                return done.get(60, TimeUnit.SECONDS);
            }
            case "schedule":
                return SCHEDULER.schedule(work, 1, TimeUnit.MILLISECONDS).get(60, TimeUnit.SECONDS);
            case "forkjoin":
                return FORK_JOIN.submit(work).get(60, TimeUnit.SECONDS);
            case "supplyasync":
                return CompletableFuture.supplyAsync(() -> call(work)).get(60, TimeUnit.SECONDS);
            case "supplyasyncpool":
                return CompletableFuture.supplyAsync(() -> call(work), POOL).get(60, TimeUnit.SECONDS);
            case "runasync": {
                CompletableFuture<String> done = new CompletableFuture<>();
                CompletableFuture.runAsync(() -> complete(done, work)).get(60, TimeUnit.SECONDS);
                return done.get();
            }
            case "thread", "subclass": {
                CompletableFuture<String> done = new CompletableFuture<>();
                Runnable task = () -> complete(done, work);
                Thread thread = via.equals("thread") ? new Thread(task) : new Worker(task);
                thread.start();
                thread.join();
                return done.get();
            }
            case "virtual": {
                CompletableFuture<String> done = new CompletableFuture<>();
                // Thread.ofVirtual() is JDK 21+, this host is compiled for 17.
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Thread thread = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                        .invoke(builder, (Runnable) () -> complete(done, work));
                thread.join();
                return done.get();
            }
            case "virtualexecutor": {
                ExecutorService perTask = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
                try {
                    return perTask.submit(work).get(60, TimeUnit.SECONDS);
                } finally {
                    perTask.shutdown();
                }
            }
            default:
                throw new IllegalArgumentException("no hand-off " + via);
        }
    }

    private static void complete(CompletableFuture<String> done, Callable<String> work) {
        done.complete(call(work));
    }

    private static String call(Callable<String> work) {
        try {
            return work.call();
        } catch (Exception e) {
            return "FAILED " + e;
        }
    }

    /** One read of the notes and one GET of the API, each naming the tag and the hand-off. */
    static String work(String tag, String via) {
        return "jdbc=" + query(tag, via) + " http=" + get(tag, via);
    }

    private static String query(String tag, String via) {
        try (Connection connection = DriverManager.getConnection(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id AS " + tag + "__" + via + " FROM notes WHERE id = 1")) {
            return rows.next() ? "OK" : "EMPTY";
        } catch (SQLException e) {
            return String.valueOf(e.getMessage()).contains("warden:") ? "DENIED" : "FAILED " + e;
        }
    }

    private static String get(String tag, String via) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(api + "/probe/" + tag + "/" + via).openConnection();
            try (InputStream body = connection.getInputStream()) {
                body.readAllBytes();
                return Integer.toString(connection.getResponseCode());
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return String.valueOf(e.getMessage()).contains("warden:") ? "DENIED" : "FAILED " + e;
        }
    }

    /** A scripted model: one probe call per hand-off this JDK has, then an answer. */
    private static final class ProbingModel implements ChatModel {
        private final String tag;
        private final List<String> vias;

        ProbingModel(String tag) {
            this.tag = tag;
            List<String> vias = new ArrayList<>(Runtime.version().feature() >= 21 ? VIAS : VIAS.subList(0, VIAS.size() - 2));
            vias.add("rejected");
            vias.add("discarded");
            vias.add("held");
            this.vias = vias;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            int calls = 0;
            for (ChatMessage message : request.messages()) {
                if (message instanceof AiMessage) {
                    calls++;
                }
            }
            ChatMessage last = request.messages().get(request.messages().size() - 1);
            AiMessage answer = calls < vias.size()
                    ? AiMessage.from(ToolExecutionRequest.builder().id(tag + "-" + calls).name("probe")
                            .arguments("{\"via\":\"" + vias.get(calls) + "\",\"tag\":\"" + tag + "\"}").build())
                    : AiMessage.from("probed " + calls + (last instanceof ToolExecutionResultMessage result ? ", last: " + result.text() : ""));
            return ChatResponse.builder().aiMessage(answer).modelName("scripted-1").build();
        }
    }

    private IdentityHost() {
    }
}
