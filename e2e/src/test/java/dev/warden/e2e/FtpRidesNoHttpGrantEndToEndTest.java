package dev.warden.e2e;

import dev.warden.e2e.host.HttpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grant a permitted {@code HttpURLConnection} request leaves unused (its request went on a kept-alive connection)
 * is for that client's own connects only. The JDK's other URL protocols live in the same {@code sun.net} packages:
 * an agent whose tool reads any URL could point {@code ftp://} at the permitted API's host and port and have the
 * JDK's FTP client connect there on the strength of it, and talk FTP to it, with no decision. Now only the HTTP
 * client's code ({@code sun.net.www}) takes such a grant; the FTP connect is decided under {@code net}, refused, and
 * never reaches the server, which counts the connections it accepts.
 */
class FtpRidesNoHttpGrantEndToEndTest {

    @TempDir
    static Path workspace;

    private static KeepAliveServer server;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts store;

    @BeforeAll
    static void getTwiceThenFtpToTheSamePort() throws Exception {
        server = new KeepAliveServer();
        store = Receipts.in(workspace);
        Path rules = LoopbackApiRules.permittingGets(workspace.resolve("rules"), server.port(), "/api/.*");
        String base = "127.0.0.1:" + server.port();
        host = HostJvm.withAgent(store.agentArguments())
                .with("rules=" + rules)
                .run(HttpHost.class, List.of(
                        "huc|GET|http://" + base + "/api/one",
                        "huc|GET|http://" + base + "/api/two", // on the kept-alive connection: its grant stays unused
                        "url|GET|ftp://" + base + "/secrets.txt"));
        receipts = store.all();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Test
    void thePermittedRequestsArriveOnOneConnection() {
        assertThat(host.step(0)).as(host.toString()).contains("status=200 body=pong /api/one");
        assertThat(host.step(1)).as(host.toString()).contains("status=200 body=pong /api/two");
    }

    @Test
    void theFtpConnectIsDecidedOnItsOwnAndNeverArrives() {
        assertThat(host.step(2)).as(host.toString()).startsWith("DENIED step=2");
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("net"))
                .singleElement().satisfies(receipt -> {
                    assertThat(receipt.operation()).isEqualTo("CONNECT");
                    assertThat(receipt.outcome()).isNotEqualTo("PERMIT");
                });
        assertThat(server.connections()).as("only the HTTP client's kept-alive connection").isEqualTo(1);
    }

    @Test
    void theAuditorsVerifierAcceptsTheReceipts() throws Exception {
        assertThat(store.verify().exitCode()).isZero();
    }

    /** HTTP/1.1 with keep-alive, answering {@code pong PATH}; counts the connections it accepts. */
    private static final class KeepAliveServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();

        KeepAliveServer() throws IOException {
            Thread acceptor = new Thread(this::accept, "keep-alive-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    Thread serving = new Thread(() -> serve(connection), "keep-alive-connection");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void serve(Socket connection) {
            try (connection) {
                connection.setSoTimeout(2_000); // a client that says nothing (FTP waits for a greeting) is let go
                InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream();
                for (String path; (path = RequestHeads.path(in)) != null; ) {
                    byte[] body = ("pong " + path).getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException timedOutOrClosed) {
                // the connection's end
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
