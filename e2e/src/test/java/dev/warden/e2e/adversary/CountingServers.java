package dev.warden.e2e.adversary;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Servers on the loopback range, run by the test JVM (which has no agent), counting what reaches
 * them: the side channels that do not trust the host.
 */
final class CountingServers {

    private CountingServers() {
    }

    /** One request as it arrived: method and path. */
    record Arrival(String method, String path) {

        /** Whether the path has {@code technique} as one of its segments. */
        boolean names(String technique) {
            return Arrays.asList(path.split("/")).contains(technique);
        }

        /** {@code GET /api/decoy/...}: the permitted disguise a technique starts from, not evidence. */
        boolean isDecoy() {
            return method.equals("GET") && path.startsWith("/api/decoy/");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * An HTTP server on 127.0.0.1 recording every request's method and path before it answers
     * ({@code 200 pong}), and reading its body after; a path with an {@code /auth/} segment answers {@code 401} with a Basic
     * challenge until the request carries credentials.
     */
    static final class CountingHttpServer implements AutoCloseable {
        private final HttpServer server;
        private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

        CountingHttpServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                arrivals.add(new Arrival(exchange.getRequestMethod(), path));
                // Answered before its body is read, as an API that ignores a GET's body does: closing the exchange
                // reads what its head declared, from whatever follows on the connection.
                if (path.contains("/auth/") && !exchange.getRequestHeaders().containsKey("Authorization")) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"adversary\"");
                    exchange.sendResponseHeaders(401, -1);
                    exchange.close();
                    return;
                }
                byte[] body = "pong".getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            // A thread per exchange: a request whose body never ends (a rewritten request can lose its
            // Content-Length, or declare more than it has) must not stall the server for the techniques after it.
            server.setExecutor(Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "counting-http");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Arrival> arrivals() {
            return List.copyOf(arrivals);
        }

        long count(String method, String path) {
            return arrivals.stream().filter(arrival -> arrival.method().equals(method) && arrival.path().equals(path)).count();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A TCP server counting the connections it accepts (each answered {@code PONG}). */
    static final class CountingTcpServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger probes = new AtomicInteger();

        /** On {@code address}:{@code port} (0 for any free port). */
        CountingTcpServer(String address, int port) throws IOException {
            socket = new ServerSocket(port, 50, InetAddress.getByName(address));
            Thread acceptor = new Thread(this::accept, "counting-tcp-" + address + ":" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket accepted = socket.accept()) {
                    connections.incrementAndGet(); // before the client can read its answer
                    accepted.getOutputStream().write("PONG\n".getBytes(StandardCharsets.US_ASCII));
                    accepted.shutdownOutput();
                    accepted.setSoTimeout(2_000);
                    accepted.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // closed, or the client went away: the connection was counted either way
                }
            }
        }

        String endpoint() {
            return socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
        }

        /**
         * The connections made before this call, including any the kernel completed but nobody
         * accepted yet: one acceptor takes connections in order, so once it answered this probe, it
         * has counted every earlier connection.
         */
        int connectionsBeforeNow() throws IOException {
            probes.incrementAndGet();
            try (Socket probe = new Socket(socket.getInetAddress(), socket.getLocalPort())) {
                probe.getInputStream().readAllBytes();
            }
            return connections.get() - probes.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
