package dev.warden.e2e;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Servers on 127.0.0.1 that count what reaches them, run by the test JVM (which has no agent): the
 * evidence that a permitted request arrived and a refused one never did.
 */
final class EgressServers {

    private EgressServers() {
    }

    /**
     * An HTTP server counting requests per path. {@code /redirect/N/to/PATH} answers 302 to
     * {@code /PATH} on the same server; anything else answers 200 {@code pong PATH}.
     */
    static final class CountingHttpServer implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> targets = new ConcurrentHashMap<>();
        private final AtomicInteger total = new AtomicInteger();
        /** {@code PATH name: value} of every header line received, the name lower-cased. */
        private final Map<String, AtomicInteger> headers = new ConcurrentHashMap<>();
        /** {@code PATH body} of every request received. */
        private final Map<String, AtomicInteger> bodies = new ConcurrentHashMap<>();

        CountingHttpServer() throws IOException {
            this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }

        /** Listening at {@code bound}: {@code new InetSocketAddress(0)} for every address of this machine. */
        CountingHttpServer(InetSocketAddress bound) throws IOException {
            server = HttpServer.create(bound, 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                requests.computeIfAbsent(path, ignored -> new AtomicInteger()).incrementAndGet();
                targets.computeIfAbsent(exchange.getRequestURI().getRawPath() + "?" + exchange.getRequestURI().getRawQuery(),
                        ignored -> new AtomicInteger()).incrementAndGet();
                total.incrementAndGet();
                exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> headers.computeIfAbsent(
                        path + " " + name.toLowerCase(java.util.Locale.ROOT) + ": " + value, ignored -> new AtomicInteger()).incrementAndGet()));
                bodies.computeIfAbsent(path + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1),
                        ignored -> new AtomicInteger()).incrementAndGet();
                String location = location(path, exchange.getRequestURI().getQuery());
                if (location != null) {
                    exchange.getResponseHeaders().add("Location", location);
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                    return;
                }
                byte[] body = ("pong " + path).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        /** {@code /api/redirect/X/to/PATH} redirects to {@code /PATH}; {@code /api/redirect?to=URL} to {@code URL}. */
        private static String location(String path, String query) {
            int to = path.indexOf("/to/");
            if (path.startsWith("/api/redirect/") && to > 0) {
                return path.substring(to + "/to".length());
            }
            if (path.equals("/api/redirect") && query != null && query.startsWith("to=")) {
                return query.substring("to=".length());
            }
            return null;
        }

        int port() {
            return server.getAddress().getPort();
        }

        int requests(String path) {
            AtomicInteger count = requests.get(path);
            return count == null ? 0 : count.get();
        }

        int total() {
            return total.get();
        }

        /** Requests of exactly this path and query, as sent ({@code /transfer?to=acme}; {@code ?null} for none). */
        int requestsOf(String pathAndQuery) {
            AtomicInteger count = targets.get(pathAndQuery);
            return count == null ? 0 : count.get();
        }

        /** Requests of this path with a header line {@code name: value} (the name in any case). */
        int requestsWithHeader(String path, String name, String value) {
            AtomicInteger count = headers.get(path + " " + name.toLowerCase(java.util.Locale.ROOT) + ": " + value);
            return count == null ? 0 : count.get();
        }

        /** Requests of this path with a header {@code name} (in any case), whatever its value. */
        int requestsWithHeader(String path, String name) {
            String prefix = path + " " + name.toLowerCase(java.util.Locale.ROOT) + ": ";
            return headers.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix))
                    .mapToInt(entry -> entry.getValue().get()).sum();
        }

        /** Requests of this path whose body was exactly {@code body}. */
        int requestsWithBody(String path, String body) {
            AtomicInteger count = bodies.get(path + " " + body);
            return count == null ? 0 : count.get();
        }

        /** Requests whose path, as the server decoded it, contains {@code part}. */
        int requestsContaining(String part) {
            return requests.entrySet().stream().filter(entry -> entry.getKey().contains(part))
                    .mapToInt(entry -> entry.getValue().get()).sum();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A TCP server counting the connections it accepts (each answered {@code PONG}): what raw sockets and NIO channels reach. */
    static final class CountingTcpServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger probes = new AtomicInteger();
        private final Thread acceptor;

        CountingTcpServer() throws IOException {
            this(InetAddress.getLoopbackAddress());
        }

        /** Listening at {@code bound}: null for every address of this machine. */
        CountingTcpServer(InetAddress bound) throws IOException {
            socket = new ServerSocket(0, 50, bound);
            acceptor = new Thread(this::accept, "counting-tcp-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket accepted = socket.accept()) {
                    // Counted before the client can read its answer, so a host step that has read it
                    // has been counted: no waiting needed on the test's side.
                    connections.incrementAndGet();
                    accepted.getOutputStream().write("PONG\n".getBytes(StandardCharsets.US_ASCII));
                    // Half-close, then drain what the client sent (a TCP Fast Open client sends first):
                    // closing over unread bytes would reset the connection under the client's read.
                    accepted.shutdownOutput();
                    accepted.setSoTimeout(10_000);
                    accepted.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // closed, or the client went away: either way the connection was counted
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get() - probes.get();
        }

        /**
         * The connections made before this call, including any the kernel completed but nobody has
         * accepted yet: one acceptor takes connections in order, so once it has answered a connection
         * of ours, it has counted every earlier one.
         */
        int connectionsBeforeNow() throws IOException {
            probes.incrementAndGet();
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port())) {
                probe.getInputStream().readAllBytes();
            }
            return connections();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
