package dev.warden.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.warden.e2e.host.BurstHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many users arriving at once: 150 threads of an ordinary application GET one API together, each on a new connection,
 * under a policy that permits the API and no raw connects. Each permitted request's one connect is its own, however
 * many are decided before the first connects: every request reaches the server and has one receipt. Before, at most
 * 64 unused grants were kept per destination, so with all of them decided first the 65th and later connects were
 * decided on their own under {@code net} and refused (found by jmh/sessions.sh with 100 sessions).
 */
class HttpBurstEndToEndTest {

    private static final int USERS = 150;

    @TempDir
    static Path workspace;

    private static HttpServer server;
    private static ExecutorService handlers;
    private static final AtomicInteger served = new AtomicInteger();
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts store;

    @BeforeAll
    static void everyoneAtOnce() throws Exception {
        handlers = Executors.newFixedThreadPool(8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2 * USERS);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            byte[] body = ("pong " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        store = Receipts.in(workspace);
        Path rules = LoopbackApiRules.permittingGets(workspace.resolve("rules"), port, "/burst/.*");
        host = HostJvm.withAgent(store.agentArguments())
                .with("rules=" + rules)
                .run(BurstHost.class, List.of("http://127.0.0.1:" + port, String.valueOf(USERS)));
        receipts = store.all();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void everyUsersRequestReachesTheServer() {
        assertThat(host.stdout()).as(host.toString()).contains("DONE ok=" + USERS + " failed=0");
        assertThat(served.get()).isEqualTo(USERS);
    }

    @Test
    void eachRequestHasOneReceiptAndNoConnectIsDecidedOnItsOwn() throws Exception {
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("http"))
                .hasSize(USERS).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("PERMIT"));
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("net")).isEmpty();
        assertThat(store.verify().exitCode()).isZero();
    }
}
