package dev.warden.agent.witness.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warden.agent.witness.AddCheckpoint;
import dev.warden.receipts.SignedNote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A C2SP tlog-witness over HTTP: {@code POST /add-checkpoint} as the specification says, and one
 * Warden extension for auditors, {@code GET /checkpoint?origin=<origin>}: the latest checkpoint it
 * cosigned for that origin as a signed note (the log's signature and the witness's cosignature),
 * 404 when it has none — the outside reference the verifier's {@code --expect-at-least} takes.
 */
public final class WitnessServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;

    private WitnessServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    public static WitnessServer start(InetSocketAddress address, WitnessState state) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "witness-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/add-checkpoint", exchange -> handle(exchange, () -> addCheckpoint(exchange, state)));
        server.createContext("/checkpoint", exchange -> handle(exchange, () -> checkpoint(exchange, state)));
        server.createContext("/", exchange -> handle(exchange, () -> Answer.text(404, "not found")));
        server.start();
        return new WitnessServer(server, workers);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private interface Handler {
        Answer answer() throws IOException;
    }

    private static void handle(HttpExchange exchange, Handler handler) throws IOException {
        Answer answer;
        try {
            answer = handler.answer();
        } catch (IOException | RuntimeException e) {
            answer = Answer.text(500, "internal error: " + e);
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Answer addCheckpoint(HttpExchange exchange, WitnessState state) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            return Answer.text(405, "add-checkpoint takes POST");
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(AddCheckpoint.MAX_BODY + 1);
        }
        if (body.length > AddCheckpoint.MAX_BODY) {
            return Answer.text(400, "request body over " + AddCheckpoint.MAX_BODY + " bytes");
        }
        return state.add(body);
    }

    private static Answer checkpoint(HttpExchange exchange, WitnessState state) {
        if (!exchange.getRequestMethod().equals("GET")) {
            return Answer.text(405, "checkpoint takes GET");
        }
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || !query.startsWith("origin=")) {
            return Answer.text(400, "give the log's origin: /checkpoint?origin=<origin>");
        }
        String origin = URLDecoder.decode(query.substring("origin=".length()), StandardCharsets.UTF_8);
        Optional<SignedNote> latest = state.latest(origin);
        return latest.map(note -> new Answer(200, Answer.TEXT, note.format()))
                .orElseGet(() -> Answer.text(404, "no checkpoint cosigned for " + origin));
    }
}
