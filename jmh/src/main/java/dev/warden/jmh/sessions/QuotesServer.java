package dev.warden.jmh.sessions;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The API the sessions call: {@code GET /api/quotes/<id>} on 127.0.0.1, answered with a small JSON body. */
final class QuotesServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;
    /** The client ports requests came from: how many connections the sessions opened (kept alive: one each). */
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    /** {@code clients}: how many connections may be open and idle between requests at once (one per session). */
    QuotesServer(int clients) throws IOException {
        // Without TCP_NODELAY a response written as headers then body waits out the client's delayed ACK (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The server closes idle connections beyond this (default 200): every session keeps one open between turns.
        System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(clients));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clients);
        threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.createContext("/api/quotes/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            String id = exchange.getRequestURI().getPath().substring("/api/quotes/".length());
            byte[] body = ("{\"id\":" + id + ",\"quote\":\"" + (id.hashCode() % 97) + ".50\"}").getBytes(StandardCharsets.US_ASCII);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/quotes/";
    }

    int connections() {
        return clientPorts.size();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdown();
    }
}
