package dev.warden.e2e;

import dev.warden.e2e.host.HttpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code HttpURLConnection} and the JDK's {@code HttpClient} send an idempotent request again, once, over a new
 * connection when the server closed the first one without answering (a full accept backlog under load does this).
 * That resend is the permitted request's: under a policy that permits the request and no raw connects, it reaches the
 * server and the host gets its answer, with the request's one receipt. Before, its connect was decided alone under
 * {@code net} and refused, so the permitted request failed. The server here drops the first connection of each
 * {@code /flaky/} path and counts what reaches it; a raw socket to the same port afterwards is still decided, and
 * refused. (OkHttp and Apache HttpClient 4 do not resend such a request at all; Apache HttpClient 5's retry runs its
 * exec chain again, where each attempt is decided.)
 */
class HttpResendEndToEndTest {

    /** The clients that resend: each sends one GET to its own {@code /flaky/} path. */
    static final List<String> RESENDING = List.of("huc", "jdk");

    @TempDir
    static Path workspace;

    private static DroppingServer server;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts store;

    @BeforeAll
    static void sendToAServerThatDropsTheFirstConnection() throws Exception {
        server = new DroppingServer();
        store = Receipts.in(workspace);
        Path rules = LoopbackApiRules.permittingGets(workspace.resolve("rules"), server.port(), "/flaky/.*");
        String base = "http://127.0.0.1:" + server.port();
        List<String> steps = Stream.concat(RESENDING.stream().map(client -> client + "|GET|" + base + "/flaky/" + client),
                Stream.of("socket|127.0.0.1:" + server.port(), "huc|GET|" + base + "/elsewhere")).toList();
        host = HostJvm.withAgent(store.agentArguments())
                .with("rules=" + rules)
                .run(HttpHost.class, steps);
        receipts = store.all();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    static List<String> resending() {
        return RESENDING;
    }

    @ParameterizedTest
    @MethodSource("resending")
    void theResentRequestReachesTheServerAndTheHostGetsItsAnswer(String client) {
        String path = "/flaky/" + client;
        assertThat(host.step(RESENDING.indexOf(client))).as(host.toString()).contains("status=200 body=pong " + path);
        assertThat(server.requests(path)).as("dropped once, then sent again").isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("resending")
    void theRequestHasOneReceiptAndItsResendNoneOfItsOwn(String client) {
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("http")
                        && ("/flaky/" + client).equals(receipt.summary().get("url.path")))
                .singleElement().satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("PERMIT"));
    }

    @Test
    void aRawSocketToTheSameDestinationIsStillDecidedAndRefused() {
        int socket = RESENDING.size();
        assertThat(host.step(socket)).as(host.toString()).startsWith("DENIED step=" + socket);
        assertThat(host.step(socket + 1)).as(host.toString()).startsWith("DENIED step=" + (socket + 1));
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("net"))
                .as("only the raw socket's connect is decided under net")
                .singleElement().satisfies(receipt -> assertThat(receipt.outcome()).isNotEqualTo("PERMIT"));
        assertThat(server.connections()).as("each request's two connections, nothing else").isEqualTo(2 * RESENDING.size());
    }

    @Test
    void theAuditorsVerifierAcceptsTheReceipts() throws Exception {
        assertThat(store.verify().exitCode()).isZero();
    }

    /** Answers {@code pong PATH}, after closing the first connection of each {@code /flaky/} path unanswered. */
    private static final class DroppingServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor = new Thread(this::serve, "dropping-server");

        DroppingServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int requests(String path) {
            AtomicInteger count = requests.get(path);
            return count == null ? 0 : count.get();
        }

        int connections() {
            return connections.get();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    connections.incrementAndGet();
                    String path = RequestHeads.path(connection.getInputStream());
                    if (path == null) {
                        continue; // a connect without a request
                    }
                    int seen = requests.computeIfAbsent(path, ignored -> new AtomicInteger()).incrementAndGet();
                    if (path.startsWith("/flaky/") && seen == 1) {
                        continue; // closed unanswered
                    }
                    byte[] body = ("pong " + path).getBytes(StandardCharsets.UTF_8);
                    connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    connection.getOutputStream().write(body);
                } catch (IOException closedOrReset) {
                    // the next connection, or the end
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
