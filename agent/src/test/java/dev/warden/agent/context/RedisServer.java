package dev.warden.agent.context;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own, on a port of its own, that the test stops and starts again
 * (the shared one on 6379 is never stopped). Started means it said it accepts connections.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
    }

    /** Starts {@code redis-server} on 127.0.0.1:{@code port}, keeping nothing on disk. */
    public static RedisServer start(int port) throws IOException {
        RedisServer server = new RedisServer(port);
        server.start();
        return server;
    }

    /** A server on {@code port} that is not running yet: {@link #start} starts it. */
    public static RedisServer stopped(int port) {
        return new RedisServer(port);
    }

    public int port() {
        return port;
    }

    /** Starts it again after {@link #stop}, on the same port, empty. */
    public void start() throws IOException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--logfile", "")).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            said.append(line).append('\n');
            if (line.contains("Ready to accept connections")) {
                Thread drain = new Thread(() -> drain(output), "redis-" + port + "-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IOException("redis-server on port " + port + " did not start:\n" + said);
    }

    /** Reads what the server says until it stops, so that it never blocks on a full pipe. */
    private static void drain(BufferedReader output) {
        try {
            while (output.readLine() != null) {
                // nothing to keep
            }
        } catch (IOException stopped) {
            // the server is gone
        }
    }

    /** Stops it (SIGTERM) and waits until it is gone. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
