package dev.warden.jmh.http;

import com.sun.net.httpserver.HttpServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A GET to a server on 127.0.0.1 in the same JVM, through the JDK's {@code HttpClient} and through
 * {@code HttpURLConnection}, both on kept-alive connections: what the agent adds per request is one
 * decision and one receipt (connections are reused, so the {@code net} check runs once, not per
 * request). Subclasses run it with and without Warden in one JMH run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class HttpLoopbackGet {

    private static final byte[] PONG = "pong".getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private ExecutorService serverThreads;
    private HttpClient client;
    private HttpRequest request;
    private URL url;

    @Setup(Level.Trial)
    public void start() throws IOException {
        // The server writes headers and body separately; without TCP_NODELAY every request waits out
        // the client's 40 ms delayed ACK, and the benchmark would measure that.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        serverThreads = Executors.newFixedThreadPool(2);
        server.setExecutor(serverThreads);
        server.createContext("/api/ping", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, PONG.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PONG);
            }
        });
        server.start();
        String base = "http://localhost:" + server.getAddress().getPort() + "/api/ping?trace=1";
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(URI.create(base)).GET().build();
        url = URI.create(base).toURL();
    }

    @Benchmark
    public String jdkHttpClient() throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Benchmark
    public int httpUrlConnection() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        try (InputStream in = connection.getInputStream()) {
            return in.readAllBytes().length;
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.stop(0);
        serverThreads.shutdownNow(); // non-daemon: the fork would wait for them before reporting
    }
}
