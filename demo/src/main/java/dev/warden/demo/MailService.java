package dev.warden.demo;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The company's mail gateway: a local HTTP service that "delivers" what is posted to {@code /send}. */
final class MailService implements AutoCloseable {

    private final HttpServer server;
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    MailService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/send", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                delivered.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] answer = "queued".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    URI sendUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/send");
    }

    List<String> delivered() {
        return List.copyOf(delivered);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
