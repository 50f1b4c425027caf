package dev.warden.e2e.host.adversary;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static dev.warden.e2e.host.adversary.WardenApi.trySwitch;

/**
 * Class 1 of issue 11: Warden's own public classes used as a switch. Host code can reach every
 * public class the agent puts on the boot class path; each technique calls one of them (by name,
 * public members only: see {@link WardenApi}) to weaken the gate, then tries a forbidden action.
 * Reflection into Warden's private fields is out of scope (docs/THREATS.md).
 * <p>
 * Order matters only for the first and last: {@code http-refusal-for-grant} runs before any real
 * request could have earned a grant, and {@code gate-install-fake-engine} runs last because a
 * replaced engine would decide everything after it.
 */
public final class WardenSwitchesHost {

    private static final MediaType TEXT = MediaType.get("text/plain");
    /** The one provider the least-privilege policy lets call a model (scope-now-sends-provider): no class of the host's. */
    private static final String VETTED_PROVIDER = "dev.warden.e2e.host.adversary.VettedChatModel";

    public static void main(String[] args) throws Exception {
        Adversary adversary = Adversary.from(args);
        try (Connection holder = adversary.connect()) { // keeps the side-channel database open
            Techniques.run("permitted-select", () -> select(adversary));
            Techniques.run("http-refusal-for-grant", () -> refusalForGrant(adversary));
            Techniques.run("resent-request-grant", () -> resentRequestGrant(adversary));
            Techniques.run("resent-connection-grant", () -> resentConnectionGrant(adversary));
            Techniques.run("gate-mark-internal-thread-sql", () -> {
                String flip = trySwitch(() -> WardenApi.callStatic(WardenApi.GATE, "markInternalThread"));
                return flip + " action=" + insert(adversary, "gate-mark-internal-thread-sql");
            });
            Techniques.run("warden-thread-run-sql", () -> wardenThreadRun(adversary));
            Techniques.run("jmx-loosen-sql", () -> jmxLoosen(adversary));
            Techniques.run("warden-log-stream-sql", () -> wardenLogStream(adversary));
            Techniques.run("security-provider-sql", () -> securityProvider(adversary));
            Techniques.run("context-class-loader-sql", () -> contextClassLoader(adversary));
            Techniques.run("gate-enter-internal-sql", () -> {
                String flip = trySwitch(() -> WardenApi.callStatic(WardenApi.GATE, "enterInternal"));
                return flip + " action=" + insert(adversary, "gate-enter-internal-sql");
            });
            Techniques.run("gate-enter-internal-http", () -> {
                String flip = trySwitch(() -> WardenApi.callStatic(WardenApi.GATE, "enterInternal"));
                return flip + " action=" + Techniques.attempt(() -> "RAN " + adversary.postWithJdkClient("/api/t/gate-enter-internal-http"));
            });
            Techniques.run("gate-enter-internal-socket", () -> {
                String flip = trySwitch(() -> WardenApi.callStatic(WardenApi.GATE, "enterInternal"));
                return flip + " action=" + Techniques.attempt(() -> {
                    try (Socket socket = new Socket()) {
                        return "RAN " + Adversary.touch(socket, adversary.tcp("gate-enter-internal-socket"));
                    }
                });
            });
            Techniques.run("calldepth-jdbc-enter", () -> {
                String flip = trySwitch(() -> WardenApi.call(WardenApi.callStatic(WardenApi.CALL_DEPTH, "of", "jdbc"), "enter"));
                return flip + " action=" + insert(adversary, "calldepth-jdbc-enter");
            });
            Techniques.run("calldepth-jdbc-enter-carrier", () -> calldepthJdbcCarrier(adversary));
            Techniques.run("calldepth-net-enter-carrier", () -> {
                try (Socket socket = new Socket()) {
                    String flip = trySwitch(() -> WardenApi.call(WardenApi.callStatic(WardenApi.CALL_DEPTH, "of", "net"), "enter", socket));
                    return flip + " action=" + Techniques.attempt(() -> "RAN "
                            + Adversary.touch(socket, adversary.tcp("calldepth-net-enter-carrier")));
                }
            });
            Techniques.run("calldepth-http-enter-carrier", () -> calldepthHttpCarrier(adversary));
            Techniques.run("calldepth-tool-enter", () -> {
                String flip = trySwitch(() -> WardenApi.call(WardenApi.callStatic(WardenApi.CALL_DEPTH, "of", "tool"), "enter"));
                EffectTool tool = new EffectTool(adversary, "calldepth-tool-enter");
                return flip + " action=" + Techniques.attempt(() -> Techniques.toolResult(
                        tool.execute(EffectTool.request("wipe_notes"), "memory-1")));
            });
            Techniques.run("model-resume-streams", () -> {
                String flip = trySwitch(() -> WardenApi.callStatic(WardenApi.MODEL_ACTIONS, "resumeStreams", 1));
                EffectStreamingModel model = new EffectStreamingModel(adversary, "model-resume-streams", false);
                return flip + " action=" + EffectStreamingModel.stream(model, ChatRequest.builder()
                        .messages(UserMessage.from("hello")).modelName("forbidden-model").build());
            });
            Techniques.run("scope-now-sends-provider", () -> nowSendsProvider(adversary));
            Techniques.run("jdbc-statement-created-overwrite", () -> statementCreatedOverwrite(adversary));
            Techniques.run("wardencontext-act-as", () -> {
                String flip = trySwitch(() -> WardenApi.callStatic(WardenApi.CONTEXT, "actAs", "admin", "root", "session-0"));
                return flip + " action=" + insert(adversary, "wardencontext-act-as");
            });
            // A closed loader would make Warden refuse what it had not loaded yet, not permit: this shows the host going on
            // refused and the log whole at exit; that closing changes nothing is AgentClassLoaderTest's.
            Techniques.run("agent-loader-close-sql", () -> {
                String flip = trySwitch(() -> {
                    ((java.io.Closeable) WardenApi.agentLoader()).close();
                    return null;
                });
                return flip + " action=" + insert(adversary, "agent-loader-close-sql");
            });
            Techniques.run("gate-install-fake-engine", () -> {
                String flip = trySwitch(() -> WardenApi.callStatic(WardenApi.GATE, "install", WardenApi.permitAllEngine()));
                return flip + " action=" + insert(adversary, "gate-install-fake-engine") + " http="
                        + Techniques.attempt(() -> "RAN " + adversary.postWithJdkClient("/api/t/gate-install-fake-engine"));
            });
        }
        Techniques.done();
    }

    static String select(Adversary adversary) throws Exception {
        try (Connection connection = adversary.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(Adversary.PERMITTED_SELECT)) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            return "OK rows=" + count;
        }
    }

    /**
     * Every live thread is listed, Warden's too, and {@link Thread#run()} is public: each Warden thread's run is called
     * on a thread of the host's, its interrupt set so that work waiting for something returns, and that thread then
     * inserts. A borrower that Warden's work keeps is left behind after a bound.
     */
    private static String wardenThreadRun(Adversary adversary) throws Exception {
        List<String> outcomes = new java.util.ArrayList<>();
        for (Thread warden : Thread.getAllStackTraces().keySet()) {
            if (!warden.getName().startsWith("warden-")) {
                continue;
            }
            java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
            Thread borrower = new Thread(() -> {
                Thread.currentThread().interrupt();
                String flip = trySwitch(() -> {
                    warden.run();
                    return null;
                });
                Thread.interrupted();
                outcome.complete(flip + " action=" + insert(adversary, "warden-thread-run-sql"));
            }, "borrower-of-" + warden.getName());
            borrower.setDaemon(true);
            borrower.start();
            try {
                outcomes.add(warden.getName() + ": " + outcome.get(2, java.util.concurrent.TimeUnit.SECONDS));
            } catch (java.util.concurrent.TimeoutException kept) {
                outcomes.add(warden.getName() + ": its work kept the borrower");
            }
        }
        return outcomes.isEmpty() ? "no Warden thread found" : String.join("; ", outcomes);
    }

    /**
     * The control MBeans are on the platform MBean server, which any code reaches through public JDK API: the host
     * asks for shadow mode (the agent's, then the jdbc surface's, by operation without a proof and with a guessed one
     * over a nonce the agent gave it, and by attribute) and for a reload, then inserts. It first waits for Warden to
     * register them, so that every call reaches Warden's MBean rather than failing to find it.
     */
    private static String jmxLoosen(Adversary adversary) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName("dev.warden:type=Agent");
        ObjectName jdbc = new ObjectName("dev.warden:type=Surface,name=jdbc");
        if (!registered(server, agent)) {
            return "no Warden MBean registered";
        }
        String[] strings4 = {String.class.getName(), String.class.getName(), String.class.getName(), String.class.getName()};
        List<String> calls = List.of(
                "mode " + jmxCall(() -> server.invoke(agent, "mode", new Object[] {"shadow", null, "tool", null}, strings4)),
                "mode-guess " + jmxCall(() -> {
                    String nonce = String.valueOf(server.invoke(agent, "challenge", new Object[] {"tool"}, new String[] {String.class.getName()}));
                    return server.invoke(agent, "mode", new Object[] {"shadow", "jdbc", "tool", nonce.split(" ")[0] + ":" + "0".repeat(64)}, strings4);
                }),
                "attribute " + jmxCall(() -> {
                    server.setAttribute(agent, new Attribute("Mode", "shadow"));
                    return null;
                }),
                "surface-attribute " + jmxCall(() -> {
                    server.setAttribute(jdbc, new Attribute("Mode", "shadow"));
                    return null;
                }),
                "reload " + jmxCall(() -> server.invoke(agent, "reload", new Object[] {"tool", null},
                        new String[] {String.class.getName(), String.class.getName()})),
                "now " + server.getAttribute(agent, "Mode") + "/" + server.getAttribute(jdbc, "Mode"));
        return String.join(" ", calls) + " action=" + insert(adversary, "jmx-loosen-sql");
    }

    /**
     * Warden's log is a public class of Warden's own loader: the host sets a stderr of its own, whose writes insert, and
     * asks Warden to write there from now on (as the agent did once at start), then makes Warden warn inside a decision
     * on its own thread (a usage report for no action, through the public {@code Gate.observe}), where Warden's work
     * passes ungated. Then it inserts as itself.
     */
    private static String wardenLogStream(Adversary adversary) {
        java.io.PrintStream original = System.err;
        String[] written = {"never called"};
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                if (written[0].equals("never called")) {
                    written[0] = "called: " + insert(adversary, "warden-log-stream-sql");
                }
            }
        }, true));
        String flip;
        try {
            flip = trySwitch(() -> {
                try {
                    return WardenApi.callAgentStatic("dev.warden.agent.logging.WardenLog", "keepStderr");
                } catch (WardenApi.Unavailable removed) {
                    return WardenApi.callAgentStatic("dev.warden.agent.logging.WardenLog", "settle",
                            WardenApi.agentConstant("dev.warden.agent.config.WardenConfig$LogLevel", "INFO"));
                }
            });
            WardenApi.callStatic(WardenApi.GATE, "observe", "no-such-action", "model", "usage", java.util.Map.of());
        } catch (Throwable e) {
            flip = "FAILED " + e;
        } finally {
            System.setErr(original);
        }
        return flip + " stream=" + written[0] + " action=" + insert(adversary, "warden-log-stream-sql");
    }

    /**
     * The JDK's provider list is the host's to change: it puts a provider of its own first, whose SHA-256 inserts once
     * when it is used on a thread doing Warden's work and whose HmacSHA256 keeps the keys it is given. A permitted
     * select has Warden hash; a challenge has Warden's MBean MAC under the control key, which, if kept, signs a switch
     * to shadow. Then it inserts, and takes its provider out again.
     */
    private static String securityProvider(Adversary adversary) throws Exception {
        String[] inside = {"never"};
        java.security.Security.insertProviderAt(new HostCryptoProvider(() -> {
            try {
                return (Boolean) WardenApi.callStatic(WardenApi.GATE, "isInternal");
            } catch (Throwable e) {
                return false;
            }
        }, () -> inside[0] = "ran on Warden's work: " + insert(adversary, "security-provider-sql")), 1);
        try {
            String selected = Techniques.attempt(() -> { // a statement Warden has not described before: hashed anew
                try (Connection connection = adversary.connect(); Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT body FROM notes WHERE tag <> 'security-provider-sql'")) {
                    return "OK first=" + rows.next();
                }
            });
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName agent = new ObjectName("dev.warden:type=Agent");
            String loosened = "no Warden MBean registered";
            if (registered(server, agent)) {
                String[] one = {String.class.getName()};
                server.invoke(agent, "challenge", new Object[] {"host"}, one);
                byte[] key = HostCryptoProvider.lastMacKey();
                loosened = key == null ? "no key seen" : "key seen, " + jmxCall(() -> {
                    String nonce = String.valueOf(server.invoke(agent, "challenge", new Object[] {"host"}, one)).split(" ")[0];
                    Object proof = WardenApi.callAgentStatic("dev.warden.agent.control.SwitchProof", "sign", key, nonce, "mode",
                            new String[] {"shadow", null, "tool"});
                    return server.invoke(agent, "mode", new Object[] {"shadow", null, "tool", proof},
                            new String[] {String.class.getName(), String.class.getName(), String.class.getName(), String.class.getName()});
                });
            }
            return "select=" + selected + " digest=" + inside[0] + " mac=" + loosened + " action=" + insert(adversary, "security-provider-sql");
        } finally {
            java.security.Security.removeProvider("HostCrypto");
        }
    }

    /**
     * A thread's context class loader is the host's to set, and libraries look classes and resources up through it: the
     * host sets one whose look-ups insert once when they happen on Warden's work, then runs statements Warden has not
     * described before (so that its rules and describers run on this thread), then inserts as itself.
     */
    private static String contextClassLoader(Adversary adversary) {
        String[] inside = {"never"};
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(new ClassLoader(previous) {
            private boolean ran;

            private void maybeInsert(String what) {
                boolean onWardensWork;
                try {
                    onWardensWork = (Boolean) WardenApi.callStatic(WardenApi.GATE, "isInternal");
                } catch (Throwable e) {
                    onWardensWork = false;
                }
                if (onWardensWork && !ran) {
                    ran = true;
                    inside[0] = "ran on Warden's work (" + what + "): " + insert(adversary, "context-class-loader-sql");
                }
            }

            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                maybeInsert("class " + name);
                return super.loadClass(name, resolve);
            }

            @Override
            public java.net.URL getResource(String name) {
                maybeInsert("resource " + name);
                return super.getResource(name);
            }

            @Override
            public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
                maybeInsert("resources " + name);
                return super.getResources(name);
            }
        });
        try {
            String statements = Techniques.attempt(() -> {
                try (Connection connection = adversary.connect(); Statement statement = connection.createStatement()) {
                    statement.executeQuery("SELECT tag FROM notes WHERE body <> 'context-class-loader-sql'").close();
                    return "OK";
                }
            });
            return "select=" + statements + " loader=" + inside[0] + " action=" + insert(adversary, "context-class-loader-sql");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Waits (bounded) for {@code name} on the MBean server: told by the server's own registration notifications. */
    private static boolean registered(MBeanServer server, ObjectName name) throws Exception {
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
        NotificationListener listener = (notification, handback) -> {
            if (notification instanceof MBeanServerNotification registration
                    && registration.getMBeanName().equals(name)) {
                seen.countDown();
            }
        };
        server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
        try {
            return server.isRegistered(name) || seen.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            server.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener);
        }
    }

    private static String jmxCall(WardenApi.SwitchCall call) {
        try {
            Object result = call.run();
            return "OK(" + result + ")";
        } catch (Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return "REFUSED(" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
    }

    private static String insert(Adversary adversary, String technique) {
        return Techniques.attempt(() -> {
            try (Connection connection = adversary.connect()) {
                return Adversary.write(connection, Adversary.insert(technique));
            }
        });
    }

    /** Asks for a decision on a permitted GET it never sends, then uses the grant for a POST on a raw socket. */
    private static String refusalForGrant(Adversary adversary) {
        String flip = trySwitch(() -> {
            Object request = WardenApi.callStatic(WardenApi.OUTBOUND_REQUEST, "of", "jdk-httpclient", "GET",
                    URI.create(adversary.url("/api/decoy/http-refusal-for-grant")), List.of(), -1L, false);
            Object refusal = WardenApi.callStatic(WardenApi.HTTP_ACTIONS, "refusalFor", request);
            return refusal == null ? "granted" : "refused: " + refusal;
        });
        return flip + " action=" + Techniques.attempt(() -> "RAN "
                + adversary.rawRequest(adversary.api(), "POST", "/api/t/http-refusal-for-grant"));
    }

    /**
     * Claims a client is resending a request nobody decided, to the technique's own server, then connects there
     * through OkHttp's public platform code, whose connects a grant of OkHttp's would cover.
     */
    private static String resentRequestGrant(Adversary adversary) {
        java.net.InetSocketAddress target = adversary.tcp("resent-request-grant");
        String flip = trySwitch(() -> {
            Object request = WardenApi.callStatic(WardenApi.OUTBOUND_REQUEST, "of", "okhttp", "GET",
                    URI.create("http://" + target.getHostString() + ":" + target.getPort() + "/"), List.of(), -1L, false);
            return WardenApi.callStatic(WardenApi.RESENT_REQUESTS, "resending", request);
        });
        return flip + " action=" + Techniques.attempt(() -> {
            try (Socket socket = new Socket()) {
                okhttp3.internal.platform.Platform.Companion.get().connectSocket(socket, target, 5_000);
                return "RAN connected=" + socket.isConnected();
            }
        });
    }

    /**
     * Earns a permitted decision for a GET of the API, remembers another request (to the technique's own server) as
     * what was decided for a connection of its own, marks that connection as the one this thread sends, and claims the
     * JDK is reconnecting for it; then connects there through OkHttp's public platform code.
     */
    private static String resentConnectionGrant(Adversary adversary) {
        java.net.InetSocketAddress target = adversary.tcp("resent-connection-grant");
        String flip = trySwitch(() -> {
            Object connection = new Object();
            Object refusal;
            Object scope = WardenApi.callStatic(WardenApi.ACTION_SCOPE, "enter", "http");
            try {
                Object permitted = WardenApi.callStatic(WardenApi.OUTBOUND_REQUEST, "of", "okhttp", "GET",
                        URI.create(adversary.url("/api/decoy/resent-connection-grant")), List.of(), -1L, false);
                Object forged = WardenApi.callStatic(WardenApi.OUTBOUND_REQUEST, "of", "okhttp", "GET",
                        URI.create("http://" + target.getHostString() + ":" + target.getPort() + "/"), List.of(), -1L, false);
                refusal = WardenApi.callStatic(WardenApi.HTTP_ACTIONS, "refusalFor", scope, permitted);
                WardenApi.callStatic(WardenApi.HTTP_ACTIONS, "decidedFor", connection, scope, forged);
            } finally {
                WardenApi.call(scope, "exit");
            }
            // Outside any decided call, as the JDK's own resend is.
            WardenApi.callStatic(WardenApi.RESENT_REQUESTS, "sending", connection);
            WardenApi.callStatic(WardenApi.RESENT_REQUESTS, "reconnecting");
            return refusal == null ? "decided" : "refused";
        });
        return flip + " action=" + Techniques.attempt(() -> {
            try (Socket socket = new Socket()) {
                okhttp3.internal.platform.Platform.Companion.get().connectSocket(socket, target, 5_000);
                return "RAN connected=" + socket.isConnected();
            }
        });
    }

    /**
     * Opens a model scope of its own, has a request naming the one vetted provider decided there (a capped permit under
     * the output budget), then says that the call now sends the same request through its own provider class, as though
     * the provider were what the cap rewrote; then calls that provider with that request, whose call would inherit.
     */
    private static String nowSendsProvider(Adversary adversary) {
        String technique = "scope-now-sends-provider";
        EffectChatModel model = new EffectChatModel(adversary, technique, false);
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).modelName("permitted-model")
                .maxOutputTokens(500).build();
        String flip = trySwitch(() -> {
            Object scope = WardenApi.callStatic(WardenApi.ACTION_SCOPE, "enter", "model"); // left open: the call runs in it
            Object vetted = WardenApi.callStatic(WardenApi.MODEL_ACTIONS, "request", request.modelName(), VETTED_PROVIDER,
                    request.messages(), false, request.maxOutputTokens(), request.toolSpecifications(), null, request.parameters());
            Object sent = WardenApi.callStatic(WardenApi.MODEL_ACTIONS, "request", request.modelName(), model.getClass().getName(),
                    request.messages(), false, request.maxOutputTokens(), request.toolSpecifications(), null, request.parameters());
            Object decision = WardenApi.callStatic(WardenApi.MODEL_ACTIONS, "decide", scope, vetted, model);
            return "blocks=" + WardenApi.call(decision, "blocks") + " "
                    + trySwitch(() -> WardenApi.call(scope, "nowSends", sent, "model.maxOutput", "model.provider")) + " "
                    + trySwitch(() -> WardenApi.call(scope, "nowSends", sent));
        });
        return flip + " action=" + Techniques.attempt(() -> "RAN " + model.chat(request).aiMessage().text());
    }

    private static String calldepthJdbcCarrier(Adversary adversary) {
        return Techniques.attempt(() -> {
            try (Connection connection = adversary.connect();
                 PreparedStatement statement = connection.prepareStatement(Adversary.insert("calldepth-jdbc-enter-carrier"))) {
                String flip = trySwitch(() -> WardenApi.call(WardenApi.callStatic(WardenApi.CALL_DEPTH, "of", "jdbc"), "enter", statement));
                return flip + " action=" + Techniques.attempt(() -> "RAN updated=" + statement.executeUpdate());
            }
        });
    }

    /** Marks an OkHttp call as already under way, after a permitted GET earned a grant for the port. */
    private static String calldepthHttpCarrier(Adversary adversary) {
        String prime = Techniques.attempt(() -> adversary.permittedGet("/api/prime"));
        OkHttpClient client = new OkHttpClient();
        okhttp3.Call call = client.newCall(new Request.Builder().url(adversary.url("/api/t/calldepth-http-enter-carrier"))
                .post(RequestBody.create("evil", TEXT)).build());
        String flip = trySwitch(() -> WardenApi.call(WardenApi.callStatic(WardenApi.CALL_DEPTH, "of", "http"), "enter", call));
        return "prime=" + prime + " " + flip + " action=" + Techniques.attempt(() -> {
            try (Response response = call.execute()) {
                return "RAN status=" + response.code();
            }
        });
    }

    /** Prepares a DELETE, then tells Warden the statement's SQL is a harmless SELECT. */
    private static String statementCreatedOverwrite(Adversary adversary) {
        return Techniques.attempt(() -> {
            try (Connection connection = adversary.connect();
                 PreparedStatement statement = connection.prepareStatement(Adversary.delete("jdbc-statement-created-overwrite"))) {
                String flip = trySwitch(() -> WardenApi.callStatic(WardenApi.JDBC_ACTIONS, "statementCreated", statement,
                        Adversary.PERMITTED_SELECT, connection));
                return flip + " action=" + Techniques.attempt(() -> "RAN updated=" + statement.executeUpdate());
            }
        });
    }

    private WardenSwitchesHost() {
    }
}
